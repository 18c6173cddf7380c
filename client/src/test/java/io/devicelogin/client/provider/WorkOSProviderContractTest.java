package io.devicelogin.client.provider;

import static io.devicelogin.client.provider.ContractFixture.FIVE_SECONDS_PADDED;
import static io.devicelogin.client.provider.ContractFixture.TEN_SECONDS_PADDED;
import static io.devicelogin.client.provider.ContractFixture.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.AccessDeniedException;
import io.devicelogin.client.Cancellation;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.ExpiredTokenException;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.TokenType;
import io.devicelogin.client.flow.PollingEngine;
import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.client.testing.RecordedRequest;
import io.devicelogin.client.testing.Reply;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * WorkOS CLI Auth as documented in the AuthKit reference ("CLI Auth": get device authorization URL,
 * device code) and guide: form bodies, RFC-style errors with HTTP 400, and a success body that is a
 * WorkOS authentication response ({@code user}, tokens, no {@code token_type}).
 */
@ExtendWith(NoSecretsInOutput.class)
class WorkOSProviderContractTest {
  private static final String DEVICE_PATH = "/user_management/authorize/device";
  private static final String TOKEN_PATH = "/user_management/authenticate";
  private static final String CLIENT_ID = "client_01JDEVICELOGINTEST000000000";
  private static final String USER_CODE = "RRGQ-BJVS";
  private static final String AUTHKIT = "https://devicelogin-test.authkit.app";

  private final ContractFixture fixture = new ContractFixture();
  private final String deviceCode = IssuedSecrets.fresh("workos-device-");

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void workosLoginYieldsBearerTokensAndTheUserThoughTheResponseHasNoTokenType() {
    String accessToken = IssuedSecrets.fresh("eyJhbGciOiJSUzI1NiJ9.");
    String refreshToken = IssuedSecrets.fresh("workos-refresh-");
    answerDeviceCode(300, 5);
    fixture.server.onSequence(
        TOKEN_PATH,
        error(400, "authorization_pending"),
        error(400, "authorization_pending"),
        Reply.json(200, authenticationResponse(accessToken, refreshToken)));
    DeviceLogin login = fixture.login(Providers.workos(fixture.base()), CLIENT_ID).build();

    DeviceAuthorization authorization = login.start();
    TokenSet tokens = login.await(authorization);

    assertThat(authorization.userCode()).isEqualTo(USER_CODE);
    assertThat(authorization.verificationUri()).isEqualTo(URI.create(AUTHKIT + "/device"));
    assertThat(authorization.verificationUriComplete())
        .contains(URI.create(AUTHKIT + "/device?user_code=" + USER_CODE));

    RecordedRequest codeRequest = fixture.onlyFormPost(DEVICE_PATH);
    assertThat(codeRequest.form()).isEqualTo(Map.of("client_id", List.of(CLIENT_ID)));
    List<RecordedRequest> polls = fixture.server.requests(TOKEN_PATH);
    assertThat(polls).hasSize(3);
    for (RecordedRequest poll : polls) {
      ContractFixture.assertFormPost(poll);
      assertThat(poll.form())
          .isEqualTo(
              Map.of(
                  "grant_type", List.of(PollingEngine.DEVICE_CODE_GRANT),
                  "device_code", List.of(deviceCode),
                  "client_id", List.of(CLIENT_ID)));
      assertThat(poll.header("Authorization"))
          .as("no API key on a public client's request")
          .isNull();
    }
    assertThat(fixture.server.gaps(TOKEN_PATH)).containsOnly(FIVE_SECONDS_PADDED);

    assertThat(tokens.accessToken().revealForTransmission()).isEqualTo(accessToken);
    assertThat(tokens.refreshToken().map(s -> s.revealForTransmission())).contains(refreshToken);
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

  @Test
  void workosSlowDownWithStatus400AddsFiveSecondsForTheRestOfTheLogin() {
    answerDeviceCode(300, 5);
    fixture.server.onSequence(
        TOKEN_PATH,
        error(400, "authorization_pending"),
        error(400, "slow_down"),
        error(400, "authorization_pending"),
        Reply.json(
            200, authenticationResponse(IssuedSecrets.fresh("at-"), IssuedSecrets.fresh("rt-"))));
    DeviceLogin login = fixture.login(Providers.workos(fixture.base()), CLIENT_ID).build();

    login.await(login.start());

    assertThat(fixture.server.gaps(TOKEN_PATH))
        .containsExactly(FIVE_SECONDS_PADDED, TEN_SECONDS_PADDED, TEN_SECONDS_PADDED);
  }

  @Test
  void workosAccessDeniedStopsPollingAtOnce() {
    answerDeviceCode(300, 5);
    fixture.server.onSequence(
        TOKEN_PATH, error(400, "authorization_pending"), error(400, "access_denied"));
    DeviceLogin login = fixture.login(Providers.workos(fixture.base()), CLIENT_ID).build();
    DeviceAuthorization authorization = login.start();

    AccessDeniedException denied =
        catchThrowableOfType(AccessDeniedException.class, () -> login.await(authorization));

    assertThat(denied.httpStatus()).isEqualTo(400);
    assertThat(fixture.server.requests(TOKEN_PATH)).hasSize(2);
  }

  @Test
  void workosExpiredTokenAnswerEndsTheLoginAsExpired() {
    answerDeviceCode(300, 5);
    fixture.server.onSequence(
        TOKEN_PATH, error(400, "authorization_pending"), error(400, "expired_token"));
    DeviceLogin login = fixture.login(Providers.workos(fixture.base()), CLIENT_ID).build();
    DeviceAuthorization authorization = login.start();

    ExpiredTokenException expired =
        catchThrowableOfType(ExpiredTokenException.class, () -> login.await(authorization));

    assertThat(expired.httpStatus()).isEqualTo(400);
    assertThat(fixture.server.requests(TOKEN_PATH)).hasSize(2);
  }

  @Test
  void workosFiveMinuteCodeIsNotPolledPastItsExpiry() {
    answerDeviceCode(300, 5);
    fixture.server.on(TOKEN_PATH, request -> error(400, "authorization_pending"));
    DeviceLogin login = fixture.login(Providers.workos(fixture.base()), CLIENT_ID).build();
    DeviceAuthorization authorization = login.start();

    ExpiredTokenException expired =
        catchThrowableOfType(ExpiredTokenException.class, () -> login.await(authorization));

    assertThat(expired.httpStatus()).as("detected by the client's clock").isZero();
    List<RecordedRequest> polls = fixture.server.requests(TOKEN_PATH);
    // Polls at 5.25 s, 10.5 s, … while they fit before 300 s: 57 of them, the last at 299.25 s.
    assertThat(polls).hasSize(57);
    assertThat(polls.get(polls.size() - 1).at()).isBefore(authorization.expiresAt());
    assertThat(fixture.clock.instant()).isEqualTo(authorization.expiresAt());
  }

  @Test
  void workosProfileDefaultsToTheDocumentedApiEndpointsWithoutRevocation() {
    AuthorizationServerMetadata metadata = Providers.workos().resolve(null, Cancellation.none());

    assertThat(Providers.workos().name()).isEqualTo("workos");
    assertThat(metadata.deviceAuthorizationEndpoint())
        .contains(URI.create("https://api.workos.com/user_management/authorize/device"));
    assertThat(metadata.tokenEndpoint())
        .isEqualTo(URI.create("https://api.workos.com/user_management/authenticate"));
    assertThat(metadata.revocationEndpoint()).isEmpty();
  }

  // --- the fake WorkOS -------------------------------------------------------------------------

  private void answerDeviceCode(int expiresIn, int interval) {
    fixture.server.on(
        DEVICE_PATH,
        request ->
            Reply.json(
                200,
                object()
                    .put("device_code", deviceCode)
                    .put("user_code", USER_CODE)
                    .put("verification_uri", AUTHKIT + "/device")
                    .put("verification_uri_complete", AUTHKIT + "/device?user_code=" + USER_CODE)
                    .put("expires_in", expiresIn)
                    .put("interval", interval)));
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

  private static Reply error(int status, String code) {
    String description =
        switch (code) {
          case "authorization_pending" -> "The authorization request is still pending.";
          case "slow_down" -> "The client is polling too frequently.";
          case "access_denied" -> "The user declined the authorization request.";
          case "expired_token" -> "The device code has expired.";
          default -> code;
        };
    return Reply.json(status, object().put("error", code).put("error_description", description));
  }
}
