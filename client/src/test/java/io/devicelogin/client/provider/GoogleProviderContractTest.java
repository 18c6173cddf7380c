package io.devicelogin.client.provider;

import static io.devicelogin.client.provider.ContractFixture.FIVE_SECONDS_PADDED;
import static io.devicelogin.client.provider.ContractFixture.TEN_SECONDS_PADDED;
import static io.devicelogin.client.provider.ContractFixture.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.devicelogin.client.AccessDeniedException;
import io.devicelogin.client.Cancellation;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.ExpiredTokenException;
import io.devicelogin.client.OAuthErrorException;
import io.devicelogin.client.Secret;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.TokenType;
import io.devicelogin.client.flow.PollingEngine;
import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.client.testing.RecordedRequest;
import io.devicelogin.client.testing.Reply;
import io.devicelogin.client.tokens.RevocationReport;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Google's "OAuth 2.0 for TV and Limited-Input Device Applications": {@code verification_url}, a
 * client secret at the token endpoint, {@code authorization_pending} with HTTP 428, {@code
 * slow_down} and {@code access_denied} with HTTP 403, and an RFC 7009 revocation endpoint.
 */
@ExtendWith(NoSecretsInOutput.class)
class GoogleProviderContractTest {
  private static final String DEVICE_PATH = "/device/code";
  private static final String TOKEN_PATH = "/token";
  private static final String REVOKE_PATH = "/revoke";
  private static final String CLIENT_ID = "407408718192-devicelogintest.apps.googleusercontent.com";
  private static final String USER_CODE = "GQVQ-JKEC";
  private static final String DRIVE_FILE = "https://www.googleapis.com/auth/drive.file";

  private final ContractFixture fixture = new ContractFixture();
  private final String deviceCode = IssuedSecrets.fresh("AH-1Ng");
  private final String clientSecret = IssuedSecrets.fresh("GOCSPX-");

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void googleLoginReadsVerificationUrlAndKeepsPollingThrough428Pending() {
    String accessToken = IssuedSecrets.fresh("ya29.");
    String refreshToken = IssuedSecrets.fresh("1//0g");
    String idToken = IssuedSecrets.fresh("eyJhbGciOiJSUzI1NiJ9.");
    answerDeviceCode(1800, 5);
    answerTokens(
        pending(),
        pending(),
        Reply.json(
            200,
            object()
                .put("access_token", accessToken)
                .put("expires_in", 3599)
                .put("refresh_token", refreshToken)
                .put("scope", "openid " + DRIVE_FILE)
                .put("token_type", "Bearer")
                .put("id_token", idToken)));
    DeviceLogin login = login().scope("openid", DRIVE_FILE).build();

    DeviceAuthorization authorization = login.start();
    TokenSet tokens = login.await(authorization);

    assertThat(authorization.verificationUri())
        .isEqualTo(URI.create("https://www.google.com/device"));
    assertThat(authorization.verificationUriComplete()).isEmpty();
    assertThat(authorization.userCode()).isEqualTo(USER_CODE);

    RecordedRequest codeRequest = fixture.onlyFormPost(DEVICE_PATH);
    assertThat(codeRequest.param("client_id")).isEqualTo(CLIENT_ID);
    assertThat(codeRequest.param("scope")).isEqualTo("openid " + DRIVE_FILE);
    List<RecordedRequest> polls = fixture.server.requests(TOKEN_PATH);
    assertThat(polls).hasSize(3);
    for (RecordedRequest poll : polls) {
      ContractFixture.assertFormPost(poll);
      assertThat(poll.form())
          .isEqualTo(
              Map.of(
                  "grant_type", List.of(PollingEngine.DEVICE_CODE_GRANT),
                  "device_code", List.of(deviceCode),
                  "client_id", List.of(CLIENT_ID),
                  "client_secret", List.of(clientSecret)));
    }
    assertThat(fixture.server.gaps(TOKEN_PATH)).containsOnly(FIVE_SECONDS_PADDED);

    assertThat(tokens.accessToken().revealForTransmission()).isEqualTo(accessToken);
    assertThat(tokens.refreshToken().map(Secret::revealForTransmission)).contains(refreshToken);
    assertThat(tokens.idToken().map(Secret::revealForTransmission)).contains(idToken);
    assertThat(tokens.tokenType()).isEqualTo(TokenType.BEARER);
    assertThat(tokens.expiresAt()).contains(polls.get(2).at().plusSeconds(3599));
    assertThat(tokens.scope()).containsExactly("openid", DRIVE_FILE);
  }

  @Test
  void googleGrantedScopeIsTakenAsSentEvenWhenItRenamesTheRequestedOnes() {
    String userinfoEmail = "https://www.googleapis.com/auth/userinfo.email";
    String userinfoProfile = "https://www.googleapis.com/auth/userinfo.profile";
    answerDeviceCode(1800, 5);
    answerTokens(
        Reply.json(
            200,
            object()
                .put("access_token", IssuedSecrets.fresh("ya29."))
                .put("expires_in", 3599)
                .put("scope", userinfoProfile + " openid " + userinfoEmail)
                .put("token_type", "Bearer")));
    DeviceLogin login = login().scope("openid", "email", "profile").build();

    TokenSet tokens = login.await(login.start());

    assertThat(tokens.scope()).containsExactlyInAnyOrder("openid", userinfoEmail, userinfoProfile);
  }

  @Test
  void googleSlowDownWith403AddsFiveSecondsForTheRestOfTheLogin() {
    answerDeviceCode(1800, 5);
    answerTokens(
        pending(),
        error(403, "slow_down", "Forbidden"),
        pending(),
        Reply.json(
            200,
            object()
                .put("access_token", IssuedSecrets.fresh("ya29."))
                .put("expires_in", 3599)
                .put("scope", DRIVE_FILE)
                .put("token_type", "Bearer")));
    DeviceLogin login = login().scope(DRIVE_FILE).build();

    login.await(login.start());

    assertThat(fixture.server.gaps(TOKEN_PATH))
        .containsExactly(FIVE_SECONDS_PADDED, TEN_SECONDS_PADDED, TEN_SECONDS_PADDED);
  }

  @Test
  void googleAccessDeniedWith403StopsPollingAtOnce() {
    answerDeviceCode(1800, 5);
    answerTokens(pending(), error(403, "access_denied", "Forbidden"));
    DeviceLogin login = login().scope(DRIVE_FILE).build();
    DeviceAuthorization authorization = login.start();

    AccessDeniedException denied =
        catchThrowableOfType(AccessDeniedException.class, () -> login.await(authorization));

    assertThat(denied.httpStatus()).isEqualTo(403);
    assertThat(fixture.server.requests(TOKEN_PATH)).hasSize(2);
  }

  @Test
  void googleThirtyMinuteCodeIsNotPolledPastItsExpiry() {
    answerDeviceCode(1800, 5);
    // The person takes their time: while the first poll is answered, 29 minutes pass.
    answerTokens(
        request -> {
          if (fixture.server.requests(TOKEN_PATH).size() == 1) {
            fixture.clock.advance(Duration.ofMinutes(29));
          }
          return pending();
        });
    // The default maximum wait (30 min) is as long as Google's codes live.
    DeviceLogin login = login().scope(DRIVE_FILE).build();
    DeviceAuthorization authorization = login.start();

    ExpiredTokenException expired =
        catchThrowableOfType(ExpiredTokenException.class, () -> login.await(authorization));

    assertThat(expired.httpStatus()).as("detected by the client's clock").isZero();
    assertThat(authorization.expiresAt()).isEqualTo(fixture.start.plus(Duration.ofMinutes(30)));
    List<RecordedRequest> polls = fixture.server.requests(TOKEN_PATH);
    // The first at 5.25 s; the clock then reads 29 min 5.25 s, which leaves room for 10 more polls
    // 5.25 s apart before 30 min.
    assertThat(polls).hasSize(11);
    assertThat(polls.get(polls.size() - 1).at()).isBefore(authorization.expiresAt());
    assertThat(fixture.clock.instant()).isEqualTo(authorization.expiresAt());
  }

  @Test
  void googleTokenEndpointRefusesAClientWithoutItsSecret() {
    answerDeviceCode(1800, 5);
    answerTokens(pending());
    DeviceLogin login =
        fixture.login(Providers.google(fixture.base()), CLIENT_ID).scope(DRIVE_FILE).build();
    DeviceAuthorization authorization = login.start();

    assertThatThrownBy(() -> login.await(authorization))
        .isInstanceOfSatisfying(
            OAuthErrorException.class,
            e -> {
              assertThat(e.code()).isEqualTo("invalid_client");
              assertThat(e.httpStatus()).isEqualTo(401);
            });
    assertThat(fixture.server.requests(TOKEN_PATH)).hasSize(1);
  }

  @Test
  void googleLogoutRevokesRefreshThenAccessTokenAtTheRevokeEndpoint() {
    String accessToken = IssuedSecrets.fresh("ya29.");
    String refreshToken = IssuedSecrets.fresh("1//0g");
    answerDeviceCode(1800, 5);
    answerTokens(
        Reply.json(
            200,
            object()
                .put("access_token", accessToken)
                .put("expires_in", 3599)
                .put("refresh_token", refreshToken)
                .put("scope", DRIVE_FILE)
                .put("token_type", "Bearer")));
    fixture.server.on(REVOKE_PATH, request -> Reply.json(200, object()));
    DeviceLogin login = login().scope(DRIVE_FILE).build();
    TokenSet tokens = login.await(login.start());

    RevocationReport report = login.revoke(tokens);

    assertThat(report.complete()).isTrue();
    List<RecordedRequest> revocations = fixture.server.requests(REVOKE_PATH);
    assertThat(revocations).hasSize(2);
    revocations.forEach(ContractFixture::assertFormPost);
    assertThat(revocations.get(0).param("token")).isEqualTo(refreshToken);
    assertThat(revocations.get(0).param("token_type_hint")).isEqualTo("refresh_token");
    assertThat(revocations.get(1).param("token")).isEqualTo(accessToken);
    assertThat(revocations.get(1).param("token_type_hint")).isEqualTo("access_token");
  }

  @Test
  void googleProfileDefaultsToTheDocumentedEndpoints() {
    AuthorizationServerMetadata metadata = Providers.google().resolve(null, Cancellation.none());

    assertThat(Providers.google().name()).isEqualTo("google");
    assertThat(metadata.deviceAuthorizationEndpoint())
        .contains(URI.create("https://oauth2.googleapis.com/device/code"));
    assertThat(metadata.tokenEndpoint())
        .isEqualTo(URI.create("https://oauth2.googleapis.com/token"));
    assertThat(metadata.revocationEndpoint())
        .contains(URI.create("https://oauth2.googleapis.com/revoke"));
  }

  // --- the fake Google -------------------------------------------------------------------------

  private DeviceLogin.Builder login() {
    return fixture
        .login(Providers.google(fixture.base()), CLIENT_ID)
        .clientSecret(Secret.of(clientSecret));
  }

  private void answerDeviceCode(int expiresIn, int interval) {
    fixture.server.on(
        DEVICE_PATH,
        request ->
            Reply.json(
                200,
                object()
                    .put("device_code", deviceCode)
                    .put("user_code", USER_CODE)
                    .put("expires_in", expiresIn)
                    .put("interval", interval)
                    .put("verification_url", "https://www.google.com/device")));
  }

  /**
   * Token answers in turn, the last repeating; a poll without the right client secret is refused
   * first, as Google refuses an unauthenticated client.
   */
  private void answerTokens(Reply... replies) {
    Iterator<Reply> it = List.of(replies).iterator();
    Reply[] last = {replies[replies.length - 1]};
    answerTokens(
        request -> {
          synchronized (it) {
            return it.hasNext() ? it.next() : last[0];
          }
        });
  }

  private void answerTokens(Function<RecordedRequest, Reply> responder) {
    fixture.server.on(
        TOKEN_PATH,
        request ->
            clientSecret.equals(request.param("client_secret"))
                ? responder.apply(request)
                : error(401, "invalid_client", "Unauthorized"));
  }

  private static Reply pending() {
    return error(428, "authorization_pending", "Precondition Required");
  }

  private static Reply error(int status, String code, String description) {
    return Reply.json(status, object().put("error", code).put("error_description", description));
  }
}
