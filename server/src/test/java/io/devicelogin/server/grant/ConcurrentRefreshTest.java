package io.devicelogin.server.grant;

import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.DeviceCode;
import io.devicelogin.server.testing.OAuthCalls.Response;
import io.devicelogin.server.testing.OAuthCalls.Tokens;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.StartingGate;
import io.devicelogin.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * One refresh token presented by 50 requests at once: exactly one is rotated into new tokens, the
 * 49 others get {@code invalid_grant}, and the grant is revoked with the winner's new tokens.
 *
 * <p>The rule, decided here: a refresh token used twice is a refresh token in two hands (RFC 9700
 * §4.14.2). The server cannot tell which presenter is the legitimate client, so it revokes the
 * whole grant, whichever came first, instead of offering a grace window in which a thief racing the
 * client would also be served. A well-behaved client therefore never refreshes one token
 * concurrently; the {@code devicelogin} command serialises its refreshes per profile for exactly
 * this reason.
 */
@ServerOnEachBackend
class ConcurrentRefreshTest {
  static final int REFRESHES = 50;
  @ServerUnderTest private static TestServer server;
  @ServerUnderTest private static OAuthCalls oauth;
  @AutoClose private static final StartingGate gate = new StartingGate(REFRESHES);

  @Test
  void fiftyConcurrentRefreshesOfOneTokenRotateItOnceAndRevokeTheGrantInEveryTrial() {
    StartingGate.assertEveryTrialKeepsTheRules(ConcurrentRefreshTest::trial);
  }

  /** One trial: null if it kept every rule, else what went wrong. */
  private static String trial() {
    server.clock.advance(Duration.ofMinutes(1));
    DeviceCode code = oauth.deviceCode();
    server.approve(code.userCode());
    Tokens tokens = OAuthCalls.unregisteredTokens(oauth.poll(code));
    String grantId = server.grantIdOf(tokens.accessToken());

    Response winner = OAuthCalls.theOneWinner(gate.release(() -> oauth.refresh(tokens)));
    List<AuditEvent> events = server.context().audit().find(null, null, grantId, 1000);
    long refreshed = events.stream().filter(e -> e.event() == AuditEvent.Type.REFRESHED).count();
    if (refreshed != 1) {
      return refreshed + " refreshed audit events";
    }
    if (events.stream().noneMatch(e -> e.event() == AuditEvent.Type.REPLAY_DETECTED)) {
      return "no replay recorded";
    }
    // The original and its one successor: no second successor was ever stored.
    long stored =
        server.jdbc().count("SELECT COUNT(*) FROM refresh_tokens WHERE grant_id = ?", grantId);
    if (stored != 2) {
      return stored + " refresh tokens stored";
    }
    if (server.context().tokens().findGrant(grantId).orElseThrow().active()) {
      return "the grant is still active after a refresh token was used twice";
    }
    Tokens won = OAuthCalls.unregisteredTokens(winner);
    if (oauth.active(won.accessToken()) || oauth.active(won.refreshToken())) {
      return "the winner's new tokens are still active";
    }
    return null;
  }
}
