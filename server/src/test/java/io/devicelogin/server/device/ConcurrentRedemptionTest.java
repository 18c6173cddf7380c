package io.devicelogin.server.device;

import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.DeviceCode;
import io.devicelogin.server.testing.OAuthCalls.Response;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.StartingGate;
import io.devicelogin.server.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Exactly one poll ever receives tokens for a code, also when many arrive at once (the
 * read-check-write race an authorization server has if the redemption is not one atomic step):
 * 1,000 trials (system property {@code devicelogin.trials}) of 50 polls held at a starting gate and
 * released together after approval each yield one token response and 49 {@code invalid_grant}.
 *
 * <p>The losers presented a code that had already yielded tokens, so they are replays: the grant is
 * revoked (RFC 6749 §4.1.2's rule for a reused code, which the device code follows here), but only
 * after the winner's tokens were issued, so the winner never gets an error because a loser revoked
 * the grant under it.
 */
@ServerOnEachBackend
class ConcurrentRedemptionTest {
  static final int POLLS = 50;
  @ServerUnderTest private static TestServer server;
  @ServerUnderTest private static OAuthCalls oauth;
  @AutoClose private static final StartingGate gate = new StartingGate(POLLS);

  @Test
  void fiftyConcurrentPollsAfterApprovalYieldExactlyOneTokenResponseInEveryTrial() {
    StartingGate.assertEveryTrialKeepsTheRules(ConcurrentRedemptionTest::trial);
  }

  /** One trial: null if it kept every rule, else what went wrong. */
  private static String trial() {
    // A new minute for each trial keeps the device authorization rate limits out of the way.
    server.clock.advance(Duration.ofMinutes(1));
    DeviceCode code = oauth.deviceCode();
    String grantId = server.approve(code.userCode());

    Response winner = OAuthCalls.theOneWinner(gate.release(() -> oauth.poll(code)));
    long issued =
        server.context().audit().find(null, null, grantId, 1000).stream()
            .filter(e -> e.event() == AuditEvent.Type.TOKENS_ISSUED)
            .count();
    if (issued != 1) {
      return issued + " tokens-issued audit events";
    }
    long refreshTokens =
        server.jdbc().count("SELECT COUNT(*) FROM refresh_tokens WHERE grant_id = ?", grantId);
    if (refreshTokens != 1) {
      return refreshTokens + " refresh tokens stored";
    }
    // The 49 others replayed a redeemed code: the grant is revoked, and with it the winner's
    // tokens.
    if (server.context().tokens().findGrant(grantId).orElseThrow().active()) {
      return "the grant is still active after 49 replays";
    }
    if (oauth.active(OAuthCalls.unregisteredTokens(winner).accessToken())) {
      return "the winner's access token is still active";
    }
    return null;
  }
}
