package io.devicelogin.client.tokens;

import static io.devicelogin.client.testing.DeviceFlowFixture.REVOKE;
import static io.devicelogin.client.testing.DeviceFlowFixture.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.Cancellation;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.OAuthErrorException;
import io.devicelogin.client.Secret;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.TokenType;
import io.devicelogin.client.flow.PollingPolicy;
import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.testing.DeviceFlowFixture;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.client.testing.RecordedRequest;
import io.devicelogin.client.testing.RecordingListener;
import io.devicelogin.client.testing.Reply;
import io.devicelogin.client.testing.TokenSets;
import io.devicelogin.client.tokens.RevocationReport.Status;
import io.devicelogin.client.wire.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Refresh (RFC 6749 §6) and revocation (RFC 7009). */
@ExtendWith(NoSecretsInOutput.class)
class TokenClientTest {
  private final DeviceFlowFixture f = new DeviceFlowFixture();
  private final RecordingListener events = new RecordingListener();
  private final DeviceLogin login = f.login(PollingPolicy.defaults(), events);

  @AfterEach
  void stop() {
    f.close();
  }

  private TokenSet held(String scope) {
    return new TokenSet(
        Secret.of(IssuedSecrets.fresh("at-")),
        Secret.of(IssuedSecrets.fresh("rt-")),
        null,
        TokenType.BEARER,
        f.clock.instant(),
        f.clock.instant().plusSeconds(600),
        Scope.parse(scope),
        Map.of());
  }

  @Test
  void refreshSendsTheRefreshTokenAndReturnsTheRotatedSet() {
    TokenSet old = held("read write");
    f.server.onSequence(TOKEN, DeviceFlowFixture.tokens("read write"));
    f.clock.advance(Duration.ofMinutes(11));

    TokenSet fresh = login.refresh(old);

    RecordedRequest request = f.server.requests(TOKEN).get(0);
    assertThat(request.param("grant_type")).isEqualTo("refresh_token");
    assertThat(request.param("refresh_token"))
        .isEqualTo(old.refreshToken().orElseThrow().revealForTransmission());
    assertThat(request.param("client_id")).isEqualTo("cli");
    assertThat(request.param("scope")).isNull();
    assertThat(fresh.accessToken()).isNotEqualTo(old.accessToken());
    assertThat(fresh.refreshToken()).isPresent().isNotEqualTo(old.refreshToken());
    assertThat(fresh.expiresAt()).contains(f.clock.instant().plus(Duration.ofMinutes(10)));
  }

  @Test
  void aRefreshWithoutANewRefreshTokenKeepsTheOldOne() {
    TokenSet old = held("read");
    f.server.onSequence(TOKEN, anAccessTokenAlone());

    TokenSet fresh = login.refresh(old);

    assertThat(fresh.refreshToken()).isEqualTo(old.refreshToken());
    assertThat(fresh.scope()).containsExactly("read");
  }

  @Test
  void aNarrowerScopeIsAskedForOnRefresh() {
    TokenSet old = held("read write");
    f.server.onSequence(TOKEN, anAccessTokenAlone());

    TokenSet fresh = login.refresh(old, Scope.of("read"), Cancellation.none());

    assertThat(f.server.requests(TOKEN).get(0).param("scope")).isEqualTo("read");
    assertThat(fresh.scope()).containsExactly("read");
  }

  @Test
  void aWiderScopeIsRefusedBeforeAnythingIsSent() {
    TokenSet old = held("read");

    assertThatThrownBy(() -> login.refresh(old, Scope.of("read", "admin"), Cancellation.none()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not granted: admin");
    assertThat(f.server.requests()).isEmpty();
  }

  @Test
  void aServerThatWidensTheScopeOnRefreshIsReported() {
    f.server.onSequence(TOKEN, DeviceFlowFixture.tokens("read admin"));

    login.refresh(held("read"));

    assertThat(events.widened)
        .containsExactly(List.of(Scope.of("read"), Scope.of("read", "admin")));
  }

  @Test
  void aRejectedRefreshIsAnOAuthError() {
    f.server.onSequence(TOKEN, Reply.json(400, "{\"error\":\"invalid_grant\"}"));

    assertThatThrownBy(() -> login.refresh(held("read")))
        .isInstanceOfSatisfying(
            OAuthErrorException.class, e -> assertThat(e.code()).isEqualTo("invalid_grant"));
  }

  @Test
  void aRefreshTokenEchoedInTheErrorIsRedacted() {
    f.server.on(
        TOKEN,
        request ->
            Reply.json(
                400,
                "{\"error\":\"invalid_grant\",\"error_description\":\"token "
                    + request.param("refresh_token")
                    + " was rotated\"}"));

    assertThatThrownBy(() -> login.refresh(held("read")))
        .isInstanceOf(OAuthErrorException.class)
        .hasMessageContaining("token [REDACTED] was rotated");
  }

  @Test
  void refreshWithoutARefreshTokenSaysToLogInAgain() {
    TokenSet noRefresh = TokenSets.accessTokenOnly(IssuedSecrets.fresh("at-"), Instant.EPOCH);

    assertThatThrownBy(() -> login.refresh(noRefresh))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("log in again");
  }

  @Test
  void revocationRevokesTheRefreshTokenFirstThenTheAccessToken() {
    TokenSet tokens = held("read");
    f.server.on(REVOKE, r -> Reply.status(200));

    RevocationReport report = login.revoke(tokens);

    List<RecordedRequest> requests = f.server.requests(REVOKE);
    assertThat(requests)
        .extracting(r -> r.param("token_type_hint"))
        .containsExactly("refresh_token", "access_token");
    assertThat(requests.get(0).param("token"))
        .isEqualTo(tokens.refreshToken().orElseThrow().revealForTransmission());
    assertThat(requests.get(1).param("token"))
        .isEqualTo(tokens.accessToken().revealForTransmission());
    assertThat(requests).allSatisfy(r -> assertThat(r.param("client_id")).isEqualTo("cli"));
    assertThat(report.complete()).isTrue();
  }

  @Test
  void anUnreachableRevocationEndpointIsReportedNotHidden() {
    TokenSet tokens = held("read");
    f.server.close();

    RevocationReport report = login.revoke(tokens);

    assertThat(report.complete()).isFalse();
    assertThat(report.outcomes())
        .extracting(RevocationReport.Outcome::status)
        .containsExactly(Status.FAILED, Status.FAILED);
    assertThat(report.outcome("refresh_token").orElseThrow().detail())
        .hasValueSatisfying(d -> assertThat(d).contains("could not reach"));
  }

  @Test
  void aFailingRevocationEndpointIsReported() {
    f.server.onSequence(REVOKE, Reply.status(503), Reply.status(200));

    RevocationReport report = login.revoke(held("read"));

    assertThat(report.complete()).isFalse();
    assertThat(report.outcome("refresh_token").orElseThrow().status()).isEqualTo(Status.FAILED);
    assertThat(report.outcome("access_token").orElseThrow().status()).isEqualTo(Status.REVOKED);
  }

  @Test
  void anUnsupportedTokenTypeIsReportedAsNotSupported() {
    f.server.onSequence(
        REVOKE, Reply.status(200), Reply.json(400, "{\"error\":\"unsupported_token_type\"}"));

    RevocationReport report = login.revoke(held("read"));

    assertThat(report.outcome("access_token").orElseThrow().status())
        .isEqualTo(Status.NOT_SUPPORTED);
    assertThat(report.complete()).isFalse();
  }

  @Test
  void aServerWithoutARevocationEndpointIsReportedAsNotSupported() {
    DeviceLogin noRevocation =
        DeviceLogin.builder()
            .metadata(AuthorizationServerMetadata.builder(f.server.uri(TOKEN)).build())
            .clientId("cli")
            .build();

    RevocationReport report = noRevocation.revoke(held("read"));

    assertThat(report.outcomes())
        .extracting(RevocationReport.Outcome::status)
        .containsExactly(Status.NOT_SUPPORTED, Status.NOT_SUPPORTED);
    assertThat(f.server.requests()).isEmpty();
  }

  @Test
  void aConfidentialClientSendsItsSecretInTheBody() {
    String clientSecret = IssuedSecrets.fresh("cs-");
    DeviceLogin confidential =
        DeviceLogin.builder()
            .metadata(f.metadata())
            .clientId("tv")
            .clientSecret(Secret.of(clientSecret))
            .clock(f.clock)
            .sleeper(f.sleeper)
            .build();
    f.server.on(REVOKE, r -> Reply.status(200));

    confidential.revoke(held("read"));

    assertThat(f.server.requests(REVOKE))
        .allSatisfy(r -> assertThat(r.param("client_secret")).isEqualTo(clientSecret));
  }

  /** A refresh answer with a new access token and nothing else: no refresh token, no scope. */
  private static Reply anAccessTokenAlone() {
    return Reply.json(
        200,
        "{\"access_token\":\""
            + IssuedSecrets.fresh("at-")
            + "\",\"token_type\":\"Bearer\",\"expires_in\":60}");
  }
}
