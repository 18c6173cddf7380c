package io.devicelogin.client.provider;

import static io.devicelogin.client.provider.ContractFixture.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.TokenType;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.RecordedRequest;
import io.devicelogin.client.testing.Reply;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * GitHub's device flow as documented in "Authorizing OAuth apps — Device flow": form-encoded
 * answers unless JSON is asked for, errors with HTTP 200, {@code slow_down} carrying the new {@code
 * interval}, comma-separated granted scopes, no {@code verification_uri_complete}, no revocation,
 * and no client secret in the device flow.
 */
final class GitHubFake extends ProviderFake {
  static final String USER_CODE = "WDJB-MJHT";
  private final String accessToken = IssuedSecrets.fresh("gho_");

  GitHubFake() {
    super(
        "github",
        Providers::github,
        "Ov23liDeviceLoginTest",
        "/login/device/code",
        "/login/oauth/access_token",
        "gh-device-",
        900);
  }

  @Override
  ObjectNode deviceCodeBody(int expiresIn, int interval) {
    return object()
        .put("device_code", deviceCode)
        .put("user_code", USER_CODE)
        .put("verification_uri", "https://github.com/login/device")
        .put("expires_in", expiresIn)
        .put("interval", interval);
  }

  /** Every answer of the token endpoint has HTTP 200, error or not. */
  @Override
  int errorStatus(String code) {
    return 200;
  }

  /** GitHub's errors, with the new interval in {@code slow_down} (10 s after the first 5 s). */
  @Override
  ObjectNode errorBody(String code) {
    return switch (code) {
      case "authorization_pending" -> error(code, "The authorization request is still pending.");
      case "slow_down" -> slowDown(10);
      case "access_denied" -> error(code, "The authorization request was denied.");
      case "expired_token" -> error(code, "The `device_code` has expired.");
      case "device_flow_disabled" ->
          error(code, "Device Flow must be explicitly enabled for this App");
      default -> error(code, "GitHub said " + code);
    };
  }

  static ObjectNode slowDown(int interval) {
    return error("slow_down", "Too many requests have been made in the same timeframe.")
        .put("interval", interval);
  }

  private static ObjectNode error(String code, String description) {
    return errorObject(code, description)
        .put(
            "error_uri",
            "https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow");
  }

  @Override
  ObjectNode someTokens() {
    return object()
        .put("access_token", IssuedSecrets.fresh("gho_"))
        .put("token_type", "bearer")
        .put("scope", "repo");
  }

  /**
   * GitHub answers {@code application/x-www-form-urlencoded} by default and JSON only to {@code
   * Accept: application/json}.
   */
  @Override
  Reply deliver(RecordedRequest request, Answer answer) {
    String accept = request.header("Accept");
    if (accept != null && accept.contains("application/json")) {
      return Reply.json(answer.status(), answer.body());
    }
    List<String> pairs = new ArrayList<>();
    answer
        .body()
        .properties()
        .forEach(
            f ->
                pairs.add(
                    URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(f.getValue().asText(), StandardCharsets.UTF_8)));
    return Reply.text(
        answer.status(),
        "application/x-www-form-urlencoded; charset=utf-8",
        String.join("&", pairs));
  }

  @Override
  DeviceLogin.Builder documentedLogin() {
    return login().scope("repo", "read:org");
  }

  @Override
  ObjectNode documentedTokens() {
    return object()
        .put("access_token", accessToken)
        .put("token_type", "bearer")
        .put("scope", "repo,read:org");
  }

  /** Space-separated scope asked for, as the RFC says. */
  @Override
  Map<String, List<String>> documentedCodeRequest() {
    return Map.of("client_id", List.of(clientId), "scope", List.of("repo read:org"));
  }

  /** Comma-separated scope granted, read as separate scopes. */
  @Override
  void checkDocumentedLogin(
      DeviceAuthorization authorization, TokenSet tokens, List<RecordedRequest> polls) {
    assertThat(authorization.userCode()).isEqualTo(USER_CODE);
    assertThat(authorization.verificationUri())
        .isEqualTo(URI.create("https://github.com/login/device"));
    assertThat(authorization.verificationUriComplete()).isEmpty();
    assertThat(authorization.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(tokens.accessToken().revealForTransmission()).isEqualTo(accessToken);
    assertThat(tokens.tokenType()).as("GitHub spells it `bearer`").isEqualTo(TokenType.BEARER);
    assertThat(tokens.scope()).containsExactly("repo", "read:org");
    assertThat(tokens.expiresAt()).as("OAuth App tokens do not expire").isEmpty();
    assertThat(tokens.refreshToken()).isEmpty();
  }
}
