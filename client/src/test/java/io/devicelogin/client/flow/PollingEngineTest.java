package io.devicelogin.client.flow;

import static io.devicelogin.client.testing.DeviceFlowFixture.TOKEN;
import static io.devicelogin.client.testing.DeviceFlowFixture.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.AccessDeniedException;
import io.devicelogin.client.Cancellation;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.ExpiredTokenException;
import io.devicelogin.client.InvalidResponseException;
import io.devicelogin.client.OAuthErrorException;
import io.devicelogin.client.PollingTimeoutException;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.http.HttpSettings;
import io.devicelogin.client.http.OAuthHttp;
import io.devicelogin.client.testing.DeviceFlowFixture;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.client.testing.RecordedRequest;
import io.devicelogin.client.testing.RecordingListener;
import io.devicelogin.client.testing.Reply;
import io.devicelogin.client.wire.Json;
import io.devicelogin.client.wire.OAuthError;
import io.devicelogin.client.wire.Scope;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The polling rules of RFC 8628 §3.4–3.5, proved by the arrival times (on a controlled clock) of
 * the requests a real loopback HTTP server received. With the default 5 % drift pad, a 5 s interval
 * is a 5.25 s wait and a 10 s interval a 10.5 s wait.
 */
@ExtendWith(NoSecretsInOutput.class)
class PollingEngineTest {
  private static final Duration FIVE_PADDED = Duration.ofMillis(5250);
  private static final Duration TEN_PADDED = Duration.ofMillis(10500);

  private final DeviceFlowFixture f = new DeviceFlowFixture();
  private final RecordingListener events = new RecordingListener();

  @AfterEach
  void stop() {
    f.close();
  }

  private DeviceLogin login() {
    return f.login(PollingPolicy.defaults(), events);
  }

  private Instant issuedAt() {
    return f.server.requests(DeviceFlowFixture.DEVICE).get(0).at();
  }

  private List<RecordedRequest> polls() {
    return f.server.requests(TOKEN);
  }

  @Test
  void firstPollComesOneIntervalAfterIssuanceNotBefore() {
    f.issuesCodes(5, 600);
    f.server.onSequence(TOKEN, tokens());

    login().login(Cancellation.none());

    Duration firstGap = Duration.between(issuedAt(), polls().get(0).at());
    assertThat(firstGap).isGreaterThanOrEqualTo(Duration.ofSeconds(5)).isEqualTo(FIVE_PADDED);
  }

  @Test
  void pendingKeepsPollingAtTheIntervalUntilTokensArrive() {
    f.issuesCodes(5, 600);
    Reply pending = Reply.oauthError(400, "authorization_pending");
    f.server.onSequence(TOKEN, pending, pending, pending, tokens());

    TokenSet tokens = login().login(Cancellation.none());

    assertThat(polls()).hasSize(4);
    assertThat(f.server.gaps(TOKEN)).containsExactly(FIVE_PADDED, FIVE_PADDED, FIVE_PADDED);
    assertThat(tokens.scope()).containsExactly("read");
    assertThat(tokens.expiresAt()).contains(polls().get(3).at().plus(Duration.ofMinutes(10)));
  }

  @Test
  void everyPollSendsTheDeviceCodeGrantWithClientIdAndDeviceCode() {
    f.issuesCodes(5, 600);
    f.server.onSequence(TOKEN, tokens());

    DeviceLogin login = login();
    DeviceAuthorization code = login.start();
    login.await(code);

    RecordedRequest poll = polls().get(0);
    assertThat(poll.method()).isEqualTo("POST");
    assertThat(poll.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(poll.param("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:device_code");
    assertThat(poll.param("client_id")).isEqualTo("cli");
    assertThat(poll.param("device_code")).isEqualTo(code.deviceCode().revealForTransmission());
  }

  @Test
  void slowDownAddsFiveSecondsForThisAndEveryLaterPoll() {
    f.issuesCodes(5, 600);
    Reply pending = Reply.oauthError(400, "authorization_pending");
    Reply slowDown = Reply.oauthError(400, "slow_down");
    f.server.onSequence(TOKEN, pending, slowDown, pending, pending, tokens());

    login().login(Cancellation.none());

    assertThat(f.server.gaps(TOKEN))
        .containsExactly(FIVE_PADDED, TEN_PADDED, TEN_PADDED, TEN_PADDED);
    assertThat(events.intervalChanges)
        .containsExactly(List.of(Duration.ofSeconds(5), Duration.ofSeconds(10)));
  }

  @Test
  void everySlowDownAddsAnotherFiveSeconds() {
    f.issuesCodes(5, 600);
    Reply slowDown = Reply.oauthError(400, "slow_down");
    f.server.onSequence(TOKEN, slowDown, slowDown, tokens());

    login().login(Cancellation.none());

    assertThat(f.server.gaps(TOKEN)).containsExactly(TEN_PADDED, Duration.ofMillis(15750));
  }

  @Test
  void slowDownTakesTheServersNewIntervalWhenItIsLarger() {
    f.issuesCodes(5, 600);
    Reply slowDown =
        Reply.json(400, Json.newObject().put("error", "slow_down").put("interval", 30));
    f.server.onSequence(TOKEN, slowDown, tokens());

    login().login(Cancellation.none());

    assertThat(f.server.gaps(TOKEN)).containsExactly(Duration.ofMillis(31500));
  }

  @Test
  void slowDownIgnoresAServerIntervalSmallerThanPlusFive() {
    f.issuesCodes(5, 600);
    Reply slowDown = Reply.json(400, Json.newObject().put("error", "slow_down").put("interval", 6));
    f.server.onSequence(TOKEN, slowDown, tokens());

    login().login(Cancellation.none());

    assertThat(f.server.gaps(TOKEN)).containsExactly(TEN_PADDED);
  }

  @Test
  void anAbsentIntervalMeansFiveSeconds() {
    f.server.onSequence(
        DeviceFlowFixture.DEVICE,
        Reply.json(
            200,
            """
        {"device_code":"%s","user_code":"BCDF-GHJK","verification_uri":"https://id.example.com/device","expires_in":600}"""
                .formatted(IssuedSecrets.fresh("dc-"))));
    f.server.onSequence(TOKEN, tokens());

    login().login(Cancellation.none());

    assertThat(Duration.between(issuedAt(), polls().get(0).at())).isEqualTo(FIVE_PADDED);
  }

  @Test
  void accessDeniedStopsPollingWithItsOwnException() {
    f.issuesCodes(5, 600);
    Reply pending = Reply.oauthError(400, "authorization_pending");
    f.server.onSequence(TOKEN, pending, Reply.oauthError(400, "access_denied"), tokens());

    assertThatThrownBy(() -> login().login(Cancellation.none()))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("access_denied");

    assertThat(polls()).hasSize(2);
    assertThat(events.outcomes()).containsExactly(PollOutcome.PENDING, PollOutcome.DENIED);
  }

  @Test
  void expiredTokenFromTheServerStopsPollingWithItsOwnException() {
    f.issuesCodes(5, 600);
    f.server.onSequence(TOKEN, Reply.oauthError(400, "expired_token"), tokens());

    assertThatThrownBy(() -> login().login(Cancellation.none()))
        .isInstanceOf(ExpiredTokenException.class);

    assertThat(polls()).hasSize(1);
  }

  @Test
  void anyOtherErrorStopsPollingAndNamesTheCode() {
    f.issuesCodes(5, 600);
    f.server.onSequence(
        TOKEN,
        Reply.json(
            400, "{\"error\":\"invalid_grant\",\"error_description\":\"unknown device code\"}"),
        tokens());

    assertThatThrownBy(() -> login().login(Cancellation.none()))
        .isExactlyInstanceOf(OAuthErrorException.class)
        .hasMessageContaining("invalid_grant: unknown device code")
        .extracting(e -> ((OAuthErrorException) e).code())
        .isEqualTo("invalid_grant");
    assertThat(polls()).hasSize(1);
  }

  @Test
  void aServerThatEchoesTheDeviceCodeInItsErrorDoesNotLeakItIntoTheException() {
    f.issuesCodes(5, 600);
    f.server.on(
        TOKEN,
        request ->
            Reply.json(
                400,
                Json.newObject()
                    .put("error", "invalid_grant")
                    .put(
                        "error_description",
                        "device code " + request.param("device_code") + " is unknown")));

    assertThatThrownBy(() -> login().login(Cancellation.none()))
        .isInstanceOf(OAuthErrorException.class)
        .hasMessage(
            f.server.uri(TOKEN)
                + " answered invalid_grant: device code [REDACTED] is unknown (HTTP 400)");
  }

  @Test
  void anErrorNameOnlySomeProviderUsesStopsAsAnyOtherErrorUnlessItsProfileReadsIt() {
    f.issuesCodes(5, 600);
    f.server.onSequence(TOKEN, Reply.oauthError(400, "authorization_declined"));
    assertThatThrownBy(() -> login().login(Cancellation.none()))
        .isExactlyInstanceOf(OAuthErrorException.class);

    f.issuesCodes(5, 600);
    f.server.onSequence(TOKEN, Reply.oauthError(400, "authorization_declined"));
    DeviceLogin login = login();
    DeviceAuthorization code = login.start();
    PollingEngine readsTheAlias =
        new PollingEngine(
            new OAuthHttp(HttpSettings.defaults()),
            f.clock,
            f.sleeper,
            PollingPolicy.defaults(),
            asSent -> asSent.understoodAs(OAuthError.ACCESS_DENIED));
    assertThatThrownBy(
            () ->
                readsTheAlias.await(
                    f.server.uri(TOKEN), login.client(), code, events, Cancellation.none()))
        .isInstanceOfSatisfying(
            AccessDeniedException.class,
            e -> assertThat(e.code()).isEqualTo("authorization_declined"));
    assertThat(events.outcomes()).containsExactly(PollOutcome.FAILED, PollOutcome.DENIED);
  }

  @Test
  void noRequestIsSentAtOrAfterTheCodesExpiry() {
    f.issuesCodes(5, 12);
    f.server.onSequence(TOKEN, Reply.oauthError(400, "authorization_pending"));

    assertThatThrownBy(() -> login().login(Cancellation.none()))
        .isInstanceOf(ExpiredTokenException.class)
        .hasMessageContaining("client's clock");

    Instant expiry = issuedAt().plusSeconds(12);
    assertThat(polls()).hasSize(2).allSatisfy(p -> assertThat(p.at()).isBefore(expiry));
    assertThat(f.clock.instant()).isEqualTo(expiry);
  }

  @Test
  void noRequestIsSentAfterTheCallersMaximumWaitWhenItIsShorter() {
    f.issuesCodes(5, 600);
    f.server.onSequence(TOKEN, Reply.oauthError(400, "authorization_pending"));
    DeviceLogin login =
        f.login(PollingPolicy.defaults().withMaximumWait(Duration.ofSeconds(8)), events);

    assertThatThrownBy(() -> login.login(Cancellation.none()))
        .isInstanceOf(PollingTimeoutException.class)
        .hasMessageContaining("8 s");

    assertThat(polls()).hasSize(1);
    assertThat(f.clock.instant()).isEqualTo(issuedAt().plusSeconds(8));
  }

  @Test
  void connectionFailuresDoubleTheWaitUpToTheCap() {
    f.issuesCodes(5, 3600);
    Reply drop = Reply.dropConnection();
    f.server.onSequence(TOKEN, drop, drop, drop, drop, drop, tokens());

    login().login(Cancellation.none());

    assertThat(f.server.gaps(TOKEN))
        .containsExactly(
            Duration.ofMillis(10500),
            Duration.ofMillis(21000),
            Duration.ofMillis(42000),
            Duration.ofMillis(63000),
            Duration.ofMillis(63000));
    assertThat(events.outcomes())
        .containsExactly(
            PollOutcome.NETWORK_ERROR,
            PollOutcome.NETWORK_ERROR,
            PollOutcome.NETWORK_ERROR,
            PollOutcome.NETWORK_ERROR,
            PollOutcome.NETWORK_ERROR,
            PollOutcome.APPROVED);
  }

  @Test
  void serverErrorsBackOffAndASuccessfulAnswerResetsTheBackoff() {
    f.issuesCodes(5, 3600);
    Reply pending = Reply.oauthError(400, "authorization_pending");
    f.server.onSequence(
        TOKEN,
        Reply.status(500),
        Reply.json(502, "{\"error\":\"temporarily_unavailable\"}"),
        pending,
        Reply.status(504),
        tokens());

    login().login(Cancellation.none());

    assertThat(f.server.gaps(TOKEN))
        .containsExactly(
            Duration.ofMillis(10500),
            Duration.ofMillis(21000),
            FIVE_PADDED,
            Duration.ofMillis(10500));
  }

  @Test
  void retryAfterSecondsOn429IsObeyed() {
    f.issuesCodes(5, 600);
    f.server.onSequence(TOKEN, Reply.status(429).withHeader("Retry-After", "17"), tokens());

    login().login(Cancellation.none());

    assertThat(f.server.gaps(TOKEN)).containsExactly(Duration.ofSeconds(17));
    assertThat(events.outcomes()).containsExactly(PollOutcome.RATE_LIMITED, PollOutcome.APPROVED);
  }

  @Test
  void retryAfterHttpDateOn503IsObeyed() {
    f.issuesCodes(5, 600);
    f.server.on(
        TOKEN,
        request -> {
          if (f.server.requests(TOKEN).size() == 1) {
            String date =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    request.at().plusSeconds(40).atOffset(ZoneOffset.UTC));
            return Reply.status(503).withHeader("Retry-After", date);
          }
          return tokens();
        });

    login().login(Cancellation.none());

    // An HTTP-date has whole seconds: the client waits until exactly that second.
    Instant first = polls().get(0).at();
    Instant named = first.plusSeconds(40).truncatedTo(ChronoUnit.SECONDS);
    assertThat(polls().get(1).at()).isEqualTo(named);
  }

  @Test
  void aRetryAfterShorterThanTheIntervalStillWaitsTheInterval() {
    f.issuesCodes(5, 600);
    f.server.onSequence(TOKEN, Reply.status(429).withHeader("Retry-After", "1"), tokens());

    login().login(Cancellation.none());

    assertThat(f.server.gaps(TOKEN)).containsExactly(FIVE_PADDED);
  }

  @Test
  void aRetryAfterBeyondExpiryEndsAtExpiryWithoutAnotherRequest() {
    f.issuesCodes(5, 60);
    f.server.onSequence(TOKEN, Reply.status(503).withHeader("Retry-After", "3600"));

    assertThatThrownBy(() -> login().login(Cancellation.none()))
        .isInstanceOf(ExpiredTokenException.class);

    assertThat(polls()).hasSize(1);
    assertThat(f.clock.instant()).isEqualTo(issuedAt().plusSeconds(60));
  }

  @Test
  void aTokenResponseWithoutAnAccessTokenIsAnInvalidResponse() {
    f.issuesCodes(5, 600);
    f.server.onSequence(TOKEN, Reply.json(200, "{\"token_type\":\"Bearer\"}"));

    assertThatThrownBy(() -> login().login(Cancellation.none()))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageContaining("`access_token` is missing");
  }

  @Test
  void anHtmlErrorPageStopsPollingWithAReadableMessage() {
    f.issuesCodes(5, 600);
    f.server.onSequence(TOKEN, Reply.text(400, "text/html", "<html>Bad Request</html>"));

    assertThatThrownBy(() -> login().login(Cancellation.none()))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageContaining("HTTP 400");
  }

  @Test
  void anUnknownTokenTypeIsRefused() {
    f.issuesCodes(5, 600);
    f.server.onSequence(
        TOKEN,
        Reply.json(
            200,
            "{\"access_token\":\"" + IssuedSecrets.fresh("at-") + "\",\"token_type\":\"mac\"}"));

    assertThatThrownBy(() -> login().login(Cancellation.none()))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageContaining("unsupported token_type");
  }

  @Test
  void progressCallbacksReportTheCodeEachPollAndTheTimeLeft() {
    f.issuesCodes(5, 600);
    Reply pending = Reply.oauthError(400, "authorization_pending");
    f.server.onSequence(TOKEN, pending, Reply.oauthError(400, "slow_down"), tokens());

    login().login(Cancellation.none());

    assertThat(events.issued)
        .singleElement()
        .satisfies(
            code -> {
              assertThat(code.userCode()).isEqualTo("BCDF-GHJK");
              assertThat(code.expiresAt()).isEqualTo(issuedAt().plusSeconds(600));
            });
    assertThat(events.polls).extracting(PollEvent::attempt).containsExactly(1, 2, 3);
    assertThat(events.outcomes())
        .containsExactly(PollOutcome.PENDING, PollOutcome.SLOW_DOWN, PollOutcome.APPROVED);
    assertThat(events.polls)
        .extracting(PollEvent::timeLeft)
        .containsExactly(
            Duration.ofSeconds(600).minus(FIVE_PADDED),
            Duration.ofSeconds(600).minus(FIVE_PADDED).minus(FIVE_PADDED),
            Duration.ofSeconds(600).minus(FIVE_PADDED).minus(FIVE_PADDED).minus(TEN_PADDED));
    assertThat(events.polls)
        .extracting(PollEvent::nextPollIn)
        .containsExactly(FIVE_PADDED, TEN_PADDED, Duration.ZERO);
    assertThat(events.polls.get(1).interval()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aGrantWiderThanRequestedIsReported() {
    f.issuesCodes(5, 600);
    f.server.onSequence(TOKEN, tokens("read admin"));

    TokenSet tokens = login().login(Cancellation.none());

    assertThat(tokens.scope()).containsExactlyInAnyOrder("read", "admin");
    assertThat(events.widened)
        .containsExactly(List.of(Scope.of("read"), Scope.of("read", "admin")));
  }

  @Test
  void aGrantWithinTheRequestIsNotReported() {
    f.issuesCodes(5, 600);
    f.server.onSequence(
        TOKEN,
        Reply.json(
            200,
            "{\"access_token\":\"" + IssuedSecrets.fresh("at-") + "\",\"token_type\":\"bearer\"}"));

    TokenSet tokens = login().login(Cancellation.none());

    assertThat(tokens.scope()).containsExactly("read");
    assertThat(tokens.expiresAt()).isEmpty();
    assertThat(events.widened).isEmpty();
  }
}
