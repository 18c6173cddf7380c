package io.devicelogin.client.provider;

import static io.devicelogin.client.provider.ContractFixture.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.Secret;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.TokenType;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.RecordedRequest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Microsoft Entra ID as documented in "Microsoft identity platform and the OAuth 2.0 device
 * authorization grant flow": tenant in the path, a {@code message} in the code response, no {@code
 * verification_uri_complete}, {@code authorization_declined} for a denial, no {@code slow_down},
 * and HTTP 400 errors carrying {@code error_codes}, {@code trace_id}, {@code correlation_id},
 * {@code timestamp} and {@code error_uri} beside the RFC members.
 */
final class EntraFake extends ProviderFake {
  static final String TENANT = "organizations";
  private static final String USER_CODE = "F7K2LMNPQ";
  private final String accessToken = IssuedSecrets.fresh("eyJ0eXAiOiJKV1Qi.");
  private final String refreshToken = IssuedSecrets.fresh("entra-refresh-");
  private final String idToken = IssuedSecrets.fresh("eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.");

  EntraFake() {
    super(
        "entra",
        base -> Providers.entra(base, TENANT),
        "0c5e6c51-2d4e-4a61-9a3f-6f3f0b7d1e42",
        "/" + TENANT + "/oauth2/v2.0/devicecode",
        "/" + TENANT + "/oauth2/v2.0/token",
        "entra-device-",
        900);
  }

  /** Entra requires a scope. */
  @Override
  DeviceLogin.Builder login() {
    return super.login().scope("User.Read");
  }

  @Override
  ObjectNode deviceCodeBody(int expiresIn, int interval) {
    return object()
        .put("user_code", USER_CODE)
        .put("device_code", deviceCode)
        .put("verification_uri", "https://microsoft.com/devicelogin")
        .put("expires_in", expiresIn)
        .put("interval", interval)
        .put(
            "message",
            "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code "
                + USER_CODE
                + " to authenticate.");
  }

  @Override
  String denial() {
    return "authorization_declined";
  }

  @Override
  int errorStatus(String code) {
    return 400;
  }

  /** An Entra error: the RFC members, an AADSTS code in the description, and Entra's own. */
  @Override
  ObjectNode errorBody(String code) {
    return switch (code) {
      case "authorization_pending" ->
          error(
              code,
              70016,
              "OAuth 2.0 device flow error. Authorization is pending. Continue polling.");
      case "authorization_declined" ->
          error(code, 70000, "The user declined the authorization request.");
      case "expired_token" -> error(code, 70019, "Verification code expired.");
      case "bad_verification_code" -> error(code, 70018, "Invalid verification code.");
      default -> throw new IllegalArgumentException("Entra does not document " + code);
    };
  }

  private static ObjectNode error(String code, int aadsts, String text) {
    String traceId = "0a774853-298d-4ee0-909c-24f0ba4b0500";
    String correlationId = "3dde1449-5192-4ba3-9dfc-8ff34ecbc3ca";
    String timestamp = "2026-01-01 00:00:05Z";
    ObjectNode body =
        errorObject(
            code,
            "AADSTS"
                + aadsts
                + ": "
                + text
                + "\r\nTrace ID: "
                + traceId
                + "\r\nCorrelation ID: "
                + correlationId
                + "\r\nTimestamp: "
                + timestamp);
    body.putArray("error_codes").add(aadsts);
    return body.put("timestamp", timestamp)
        .put("trace_id", traceId)
        .put("correlation_id", correlationId)
        .put("error_uri", "https://login.microsoftonline.com/error?code=" + aadsts);
  }

  @Override
  ObjectNode someTokens() {
    return object()
        .put("token_type", "Bearer")
        .put("scope", "User.Read")
        .put("expires_in", 3599)
        .put("access_token", IssuedSecrets.fresh("eyJ0eXAiOiJKV1Qi."));
  }

  @Override
  DeviceLogin.Builder documentedLogin() {
    return super.login().scope("User.Read", "openid", "profile", "email", "offline_access");
  }

  @Override
  ObjectNode documentedTokens() {
    return object()
        .put("token_type", "Bearer")
        .put("scope", "User.Read profile openid email")
        .put("expires_in", 3599)
        .put("access_token", accessToken)
        .put("refresh_token", refreshToken)
        .put("id_token", idToken);
  }

  @Override
  Map<String, List<String>> documentedCodeRequest() {
    return Map.of(
        "client_id", List.of(clientId),
        "scope", List.of("User.Read openid profile email offline_access"));
  }

  @Override
  void checkDocumentedLogin(
      DeviceAuthorization authorization, TokenSet tokens, List<RecordedRequest> polls) {
    assertThat(authorization.verificationUri())
        .isEqualTo(URI.create("https://microsoft.com/devicelogin"));
    assertThat(authorization.verificationUriComplete()).isEmpty();
    assertThat(authorization.message()).hasValueSatisfying(m -> assertThat(m).contains(USER_CODE));
    assertThat(authorization.expiresAt()).isEqualTo(fixture.start.plus(Duration.ofMinutes(15)));
    assertThat(tokens.accessToken().revealForTransmission()).isEqualTo(accessToken);
    assertThat(tokens.refreshToken().map(Secret::revealForTransmission)).contains(refreshToken);
    assertThat(tokens.idToken().map(Secret::revealForTransmission)).contains(idToken);
    assertThat(tokens.tokenType()).isEqualTo(TokenType.BEARER);
    assertThat(tokens.expiresAt()).contains(polls.get(2).at().plusSeconds(3599));
    assertThat(tokens.scope())
        .as("the grant as Entra states it: offline_access is not echoed")
        .containsExactly("User.Read", "profile", "openid", "email");
  }
}
