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
import io.devicelogin.client.testing.Reply;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Google's "OAuth 2.0 for TV and Limited-Input Device Applications": {@code verification_url}, a
 * client secret at the token endpoint, {@code authorization_pending} with HTTP 428, {@code
 * slow_down} and {@code access_denied} with HTTP 403, and an RFC 7009 revocation endpoint.
 */
final class GoogleFake extends ProviderFake {
  static final String DRIVE_FILE = "https://www.googleapis.com/auth/drive.file";
  static final String REVOKE_PATH = "/revoke";
  private static final String USER_CODE = "GQVQ-JKEC";
  final String clientSecret = IssuedSecrets.fresh("GOCSPX-");
  final String accessToken = IssuedSecrets.fresh("ya29.");
  final String refreshToken = IssuedSecrets.fresh("1//0g");
  private final String idToken = IssuedSecrets.fresh("eyJhbGciOiJSUzI1NiJ9.");

  GoogleFake() {
    super(
        "google",
        Providers::google,
        "407408718192-devicelogintest.apps.googleusercontent.com",
        "/device/code",
        "/token",
        "AH-1Ng",
        1800);
  }

  /** A client of type "TVs and Limited Input devices", which has a secret. */
  @Override
  DeviceLogin.Builder login() {
    return withoutSecret().clientSecret(Secret.of(clientSecret));
  }

  DeviceLogin.Builder withoutSecret() {
    return super.login();
  }

  @Override
  ObjectNode deviceCodeBody(int expiresIn, int interval) {
    return object()
        .put("device_code", deviceCode)
        .put("user_code", USER_CODE)
        .put("expires_in", expiresIn)
        .put("interval", interval)
        .put("verification_url", "https://www.google.com/device");
  }

  @Override
  int errorStatus(String code) {
    return switch (code) {
      case "authorization_pending" -> 428;
      case "slow_down", "access_denied" -> 403;
      case "invalid_client" -> 401;
      default -> 400;
    };
  }

  @Override
  ObjectNode errorBody(String code) {
    return errorObject(
        code,
        switch (errorStatus(code)) {
          case 428 -> "Precondition Required";
          case 403 -> "Forbidden";
          case 401 -> "Unauthorized";
          default -> "Bad Request";
        });
  }

  /** A poll without the right client secret is refused first, as Google refuses it. */
  @Override
  Reply deliver(RecordedRequest request, Answer answer) {
    if (request.path().equals(tokenPath) && !clientSecret.equals(request.param("client_secret"))) {
      answer = error("invalid_client");
    }
    return super.deliver(request, answer);
  }

  @Override
  ObjectNode someTokens() {
    return tokensFor(DRIVE_FILE);
  }

  ObjectNode tokensFor(String scope) {
    return object()
        .put("access_token", IssuedSecrets.fresh("ya29."))
        .put("expires_in", 3599)
        .put("scope", scope)
        .put("token_type", "Bearer");
  }

  @Override
  DeviceLogin.Builder documentedLogin() {
    return login().scope("openid", DRIVE_FILE);
  }

  @Override
  ObjectNode documentedTokens() {
    return object()
        .put("access_token", accessToken)
        .put("expires_in", 3599)
        .put("refresh_token", refreshToken)
        .put("scope", "openid " + DRIVE_FILE)
        .put("token_type", "Bearer")
        .put("id_token", idToken);
  }

  @Override
  Map<String, List<String>> documentedCodeRequest() {
    return Map.of(
        "client_id", List.of(clientId),
        "client_secret", List.of(clientSecret),
        "scope", List.of("openid " + DRIVE_FILE));
  }

  @Override
  Map<String, List<String>> documentedPoll() {
    Map<String, List<String>> poll = new LinkedHashMap<>(super.documentedPoll());
    poll.put("client_secret", List.of(clientSecret));
    return poll;
  }

  @Override
  void checkDocumentedLogin(
      DeviceAuthorization authorization, TokenSet tokens, List<RecordedRequest> polls) {
    assertThat(authorization.verificationUri())
        .isEqualTo(URI.create("https://www.google.com/device"));
    assertThat(authorization.verificationUriComplete()).isEmpty();
    assertThat(authorization.userCode()).isEqualTo(USER_CODE);
    assertThat(tokens.accessToken().revealForTransmission()).isEqualTo(accessToken);
    assertThat(tokens.refreshToken().map(Secret::revealForTransmission)).contains(refreshToken);
    assertThat(tokens.idToken().map(Secret::revealForTransmission)).contains(idToken);
    assertThat(tokens.tokenType()).isEqualTo(TokenType.BEARER);
    assertThat(tokens.expiresAt()).contains(polls.get(2).at().plusSeconds(3599));
    assertThat(tokens.scope()).containsExactly("openid", DRIVE_FILE);
  }
}
