package io.devicelogin.client.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The token requests of RFC 8628 §3.4 and RFC 6749 §6, written and read. */
class TokenRequestTest {
  private static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

  @Test
  void aPollCarriesTheGrantTypeThenTheDeviceCode() {
    Form form = new TokenRequest.DeviceCode(Secret.of("dc-1")).toForm();

    assertThat(Forms.names(form)).containsExactly("grant_type", "device_code");
    assertThat(Forms.asMap(form))
        .isEqualTo(Map.of("grant_type", DEVICE_GRANT, "device_code", "dc-1"));
  }

  @Test
  void aRefreshCarriesTheGrantTypeTheRefreshTokenAndANarrowerScope() {
    Form form = new TokenRequest.Refresh(Secret.of("rt-1"), Scope.of("read")).toForm();

    assertThat(Forms.names(form)).containsExactly("grant_type", "refresh_token", "scope");
    assertThat(Forms.asMap(form))
        .isEqualTo(Map.of("grant_type", "refresh_token", "refresh_token", "rt-1", "scope", "read"));
  }

  @Test
  void aRefreshAtTheSameScopeHasNoScopeParameter() {
    Form form = new TokenRequest.Refresh(Secret.of("rt-1"), Scope.empty()).toForm();

    assertThat(Forms.names(form)).containsExactly("grant_type", "refresh_token");
  }

  @Test
  void whatIsWrittenIsReadBackForEveryGrant() {
    for (TokenRequest request :
        new TokenRequest[] {
          new TokenRequest.DeviceCode(Secret.of("dc-1")),
          new TokenRequest.Refresh(Secret.of("rt-1"), Scope.empty()),
          new TokenRequest.Refresh(Secret.of("rt-1"), Scope.of("read", "write"))
        }) {
      assertThat(TokenRequest.parse(Forms.asMap(request.toForm()))).isEqualTo(request);
    }
  }

  @Test
  void eachRequestNamesItsGrantType() {
    assertThat(new TokenRequest.DeviceCode(Secret.of("dc")).grantType())
        .isEqualTo(GrantType.DEVICE_CODE);
    assertThat(new TokenRequest.Refresh(Secret.of("rt"), Scope.empty()).grantType())
        .isEqualTo(GrantType.REFRESH_TOKEN);
  }

  @Test
  void theCodesAndTokensAreSecrets() {
    assertThat(new TokenRequest.DeviceCode(Secret.of("dc-raw")).toString()).doesNotContain("raw");
    assertThat(new TokenRequest.Refresh(Secret.of("rt-raw"), Scope.empty()).toString())
        .doesNotContain("raw");
  }

  @Test
  void aMissingOrEmptyGrantTypeIsInvalidRequest() {
    assertThat(Forms.refusal(() -> TokenRequest.parse(Forms.of("device_code", "dc"))))
        .isEqualTo(Forms.missing("grant_type"));
    assertThat(
            Forms.refusal(
                () -> TokenRequest.parse(Forms.of("grant_type", "", "device_code", "dc"))))
        .isEqualTo(Forms.missing("grant_type"));
  }

  @Test
  void anUnknownOrMisspeltGrantTypeIsUnsupportedGrantType() {
    for (String grantType : new String[] {"authorization_code", "REFRESH_TOKEN", "password"}) {
      assertThat(
              Forms.refusal(
                  () ->
                      TokenRequest.parse(Forms.of("grant_type", grantType, "refresh_token", "x"))))
          .isEqualTo(
              new OAuthError(
                  "unsupported_grant_type",
                  "this server supports the device code and refresh token grants",
                  null));
    }
  }

  @Test
  void aPollWithoutADeviceCodeIsInvalidRequest() {
    assertThat(
            Forms.refusal(
                () -> TokenRequest.parse(Forms.of("grant_type", DEVICE_GRANT, "device_code", ""))))
        .isEqualTo(Forms.missing("device_code"));
  }

  @Test
  void aRefreshWithoutARefreshTokenIsInvalidRequest() {
    assertThat(Forms.refusal(() -> TokenRequest.parse(Forms.of("grant_type", "refresh_token"))))
        .isEqualTo(Forms.missing("refresh_token"));
  }

  @Test
  void aRefreshWithABadScopeIsInvalidScopeBeforeAnythingElse() {
    assertThat(
            Forms.refusal(
                () -> TokenRequest.parse(Forms.of("grant_type", "refresh_token", "scope", "a\"b"))))
        .isEqualTo(
            new OAuthError(
                "invalid_scope",
                "a scope holds characters RFC 6749 section 3.3 does not allow",
                null));
    assertThat(
            Forms.refusal(
                () -> TokenRequest.parse(Forms.of("grant_type", "refresh_token", "scope", "  "))))
        .isEqualTo(new OAuthError("invalid_scope", "the scope is empty", null));
  }
}
