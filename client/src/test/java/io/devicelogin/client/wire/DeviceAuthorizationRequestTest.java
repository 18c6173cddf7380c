package io.devicelogin.client.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The device authorization request of RFC 8628 §3.1, written and read. */
class DeviceAuthorizationRequestTest {

  @Test
  void theFormCarriesTheScopeThenTheExtraParametersInOrder() {
    DeviceAuthorizationRequest request =
        new DeviceAuthorizationRequest(
            Scope.of("openid", "offline_access"),
            Map.of("resource", List.of("https://a.example.com", "https://b.example.com")));

    Form form = request.toForm();

    assertThat(form.encode())
        .isEqualTo(
            "scope=openid+offline_access"
                + "&resource=https%3A%2F%2Fa.example.com&resource=https%3A%2F%2Fb.example.com");
  }

  @Test
  void theDeviceNameIsWrittenAsDeviceNameAndReadBackApartFromTheExtraParameters() {
    DeviceAuthorizationRequest request =
        new DeviceAuthorizationRequest(
            Scope.of("openid"), Map.of(), Optional.of("build-01 (Linux 6.1)"));

    assertThat(request.toForm().encode())
        .isEqualTo("scope=openid&device_name=build-01+%28Linux+6.1%29");
    DeviceAuthorizationRequest read =
        DeviceAuthorizationRequest.parse(Forms.asMap(request.toForm()));
    assertThat(read).isEqualTo(request);
    assertThat(read.extraParameters()).isEmpty();
  }

  @Test
  void aRequestWithoutADeviceNameOrWithAnEmptyOneHasNone() {
    assertThat(DeviceAuthorizationRequest.parse(Forms.of("scope", "openid")).deviceName())
        .isEmpty();
    assertThat(DeviceAuthorizationRequest.parse(Forms.of("device_name", "")).deviceName())
        .isEmpty();
    assertThat(
            new DeviceAuthorizationRequest(Scope.empty(), Map.of(), Optional.of(" "))
                .toForm()
                .parameters())
        .isEmpty();
  }

  @Test
  void theDeviceNameCannotBeSmuggledInAsAnExtraParameter() {
    assertThatThrownBy(
            () ->
                new DeviceAuthorizationRequest(Scope.empty(), Map.of("device_name", List.of("x"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyScopeIsNoScopeParameter() {
    assertThat(new DeviceAuthorizationRequest(Scope.empty()).toForm().parameters()).isEmpty();
  }

  @Test
  void whatIsWrittenIsReadBack() {
    DeviceAuthorizationRequest request =
        new DeviceAuthorizationRequest(
            Scope.of("openid", "email"), Map.of("audience", List.of("https://api.example.com")));

    assertThat(DeviceAuthorizationRequest.parse(Forms.asMap(request.toForm()))).isEqualTo(request);
  }

  @Test
  void clientAuthenticationIsNotPartOfTheRequest() {
    DeviceAuthorizationRequest parsed =
        DeviceAuthorizationRequest.parse(
            Forms.of("client_id", "cli", "client_secret", "s", "scope", "openid"));

    assertThat(parsed).isEqualTo(new DeviceAuthorizationRequest(Scope.of("openid")));
  }

  @Test
  void anAbsentOrEmptyScopeIsTheEmptyScope() {
    assertThat(DeviceAuthorizationRequest.parse(Forms.of()).scope()).isEqualTo(Scope.empty());
    assertThat(DeviceAuthorizationRequest.parse(Forms.of("scope", "")).scope())
        .isEqualTo(Scope.empty());
  }

  @Test
  void aScopeOfSpacesOnlyIsInvalidScope() {
    assertThat(Forms.refusal(() -> DeviceAuthorizationRequest.parse(Forms.of("scope", "   "))))
        .isEqualTo(new OAuthError("invalid_scope", "the scope is empty", null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"openid \"quoted\"", "openid\tprofile", "caf\u00e9"})
  void aScopeOutsideRfc6749Section33IsInvalidScope(String scope) {
    assertThat(Forms.refusal(() -> DeviceAuthorizationRequest.parse(Forms.of("scope", scope))))
        .isEqualTo(
            new OAuthError(
                "invalid_scope",
                "a scope holds characters RFC 6749 section 3.3 does not allow",
                null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"client_id", "client_secret", "scope", "grant_type", "device_code"})
  void anExtraParameterCannotReplaceOneTheRequestSets(String name) {
    assertThatThrownBy(
            () -> new DeviceAuthorizationRequest(Scope.empty(), Map.of(name, List.of("x"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("`" + name + "` cannot be set as an extra parameter");
  }
}
