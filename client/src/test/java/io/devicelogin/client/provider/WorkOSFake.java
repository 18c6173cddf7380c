package io.devicelogin.client.provider;

import static io.devicelogin.client.provider.ContractFixture.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.Secret;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.TokenType;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.RecordedRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * WorkOS CLI Auth as documented in the AuthKit reference ("CLI Auth": get device authorization URL,
 * device code) and guide: form bodies, RFC-style errors with HTTP 400, and a success body that is a
 * WorkOS authentication response ({@code user}, tokens, no {@code token_type}).
 */
final class WorkOSFake extends ProviderFake {
  private static final String USER_CODE = "RRGQ-BJVS";
  private static final String AUTHKIT = "https://devicelogin-test.authkit.app";
  private final String accessToken = IssuedSecrets.fresh("eyJhbGciOiJSUzI1NiJ9.");
  private final String refreshToken = IssuedSecrets.fresh("workos-refresh-");

  WorkOSFake() {
    super(
        "workos",
        Providers::workos,
        "client_01JDEVICELOGINTEST000000000",
        "/user_management/authorize/device",
        "/user_management/authenticate",
        "workos-device-",
        300);
  }

  @Override
  ObjectNode deviceCodeBody(int expiresIn, int interval) {
    return object()
        .put("device_code", deviceCode)
        .put("user_code", USER_CODE)
        .put("verification_uri", AUTHKIT + "/device")
        .put("verification_uri_complete", AUTHKIT + "/device?user_code=" + USER_CODE)
        .put("expires_in", expiresIn)
        .put("interval", interval);
  }

  @Override
  int errorStatus(String code) {
    return 400;
  }

  @Override
  ObjectNode errorBody(String code) {
    return errorObject(
        code,
        switch (code) {
          case "authorization_pending" -> "The authorization request is still pending.";
          case "slow_down" -> "The client is polling too frequently.";
          case "access_denied" -> "The user declined the authorization request.";
          case "expired_token" -> "The device code has expired.";
          default -> code;
        });
  }

  @Override
  ObjectNode someTokens() {
    return authenticationResponse(IssuedSecrets.fresh("at-"), IssuedSecrets.fresh("rt-"));
  }

  /** A WorkOS authentication response: the user, the tokens, and no {@code token_type}. */
  private static ObjectNode authenticationResponse(String accessToken, String refreshToken) {
    ObjectNode response = object();
    response
        .putObject("user")
        .put("object", "user")
        .put("id", "user_01JYHX0DW7077GPTAY8MZVNMQX")
        .put("email", "grace@example.com")
        .put("email_verified", true)
        .put("first_name", "Grace")
        .put("last_name", "Hopper")
        .putNull("profile_picture_url")
        .put("last_sign_in_at", "2026-01-01T00:00:10.000Z")
        .put("created_at", "2025-06-25T01:20:21.355Z")
        .put("updated_at", "2026-01-01T00:00:10.000Z")
        .putNull("external_id");
    return response
        .put("organization_id", "org_01JYHNPKWTD5DRGPJHNYBB1HB8")
        .put("access_token", accessToken)
        .put("refresh_token", refreshToken)
        .put("authentication_method", "GoogleOAuth");
  }

  @Override
  DeviceLogin.Builder documentedLogin() {
    return login();
  }

  @Override
  ObjectNode documentedTokens() {
    return authenticationResponse(accessToken, refreshToken);
  }

  @Override
  Map<String, List<String>> documentedCodeRequest() {
    return Map.of("client_id", List.of(clientId));
  }

  @Override
  void checkDocumentedLogin(
      DeviceAuthorization authorization, TokenSet tokens, List<RecordedRequest> polls) {
    assertThat(authorization.userCode()).isEqualTo(USER_CODE);
    assertThat(authorization.verificationUri()).isEqualTo(URI.create(AUTHKIT + "/device"));
    assertThat(authorization.verificationUriComplete())
        .contains(URI.create(AUTHKIT + "/device?user_code=" + USER_CODE));
    for (RecordedRequest poll : polls) {
      assertThat(poll.header("Authorization"))
          .as("no API key on a public client's request")
          .isNull();
    }
    assertThat(tokens.accessToken().revealForTransmission()).isEqualTo(accessToken);
    assertThat(tokens.refreshToken().map(Secret::revealForTransmission)).contains(refreshToken);
    assertThat(tokens.tokenType()).isEqualTo(TokenType.BEARER);
    assertThat(tokens.expiresAt())
        .as("the expiry is inside the JWT, not in the response")
        .isEmpty();
    assertThat(tokens.scope()).isEmpty();

    Map<String, JsonNode> additional = tokens.additional();
    assertThat(additional).containsOnlyKeys("user", "organization_id", "authentication_method");
    assertThat(additional.get("user").get("id").asText())
        .isEqualTo("user_01JYHX0DW7077GPTAY8MZVNMQX");
    assertThat(additional.get("user").get("email").asText()).isEqualTo("grace@example.com");
    assertThat(additional.get("organization_id").asText())
        .isEqualTo("org_01JYHNPKWTD5DRGPJHNYBB1HB8");
    assertThat(additional.get("authentication_method").asText()).isEqualTo("GoogleOAuth");
  }
}
