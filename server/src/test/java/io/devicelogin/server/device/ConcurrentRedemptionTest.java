package io.devicelogin.server.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.audit.AuditEvent;
import io.devicelogin.server.testing.Backend;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.DeviceCode;
import io.devicelogin.server.testing.OAuthCalls.Response;
import io.devicelogin.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exactly one poll ever receives tokens for a code, also when many arrive at once: 50 polls held at
 * a start gate and released together after approval yield one token response and 49 {@code
 * invalid_grant}. The losers presented a code that had yielded tokens, so they are replays: the
 * grant is revoked, but only after the winner's tokens were issued (the winner never gets an error
 * because a loser revoked the grant under it).
 */
@ParameterizedClass
@EnumSource(Backend.class)
@ExtendWith(NoSecretsInOutput.class)
class ConcurrentRedemptionTest {
  private static final int POLLS = 50;
  private static TestServer server;
  private static OAuthCalls oauth;
  private static ExecutorService pool;

  @Parameter Backend backend;

  @BeforeParameterizedClassInvocation
  static void startServer(Backend backend) {
    server = TestServer.start(backend);
    oauth = server.oauth();
    pool = Executors.newFixedThreadPool(POLLS);
  }

  @AfterParameterizedClassInvocation
  static void stopServer() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    server.close();
  }

  @RepeatedTest(20)
  void fiftyConcurrentPollsAfterApprovalYieldExactlyOneTokenResponse() throws Exception {
    server.clock.advance(Duration.ofMinutes(1));
    DeviceCode code = oauth.deviceCode();
    String grantId = server.approve(code.userCode());

    CountDownLatch ready = new CountDownLatch(POLLS);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Response>> polls = new ArrayList<>();
    for (int i = 0; i < POLLS; i++) {
      polls.add(pool.submit(() -> {
        ready.countDown();
        start.await();
        return oauth.poll(code);
      }));
    }
    assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
    start.countDown();

    Map<String, Integer> outcomes = new TreeMap<>();
    List<Response> winners = new ArrayList<>();
    for (Future<Response> f : polls) {
      Response r = f.get(60, TimeUnit.SECONDS);
      if (r.status() == 200) {
        winners.add(r);
        OAuthCalls.tokens(r);
        outcomes.merge("tokens", 1, Integer::sum);
      } else {
        outcomes.merge(r.status() + " " + r.error(), 1, Integer::sum);
      }
    }
    assertThat(outcomes).containsExactly(Map.entry("400 invalid_grant", POLLS - 1), Map.entry("tokens", 1));
    assertThat(server.context().audit().find(null, null, grantId, 1000))
        .filteredOn(e -> e.event() == AuditEvent.Type.TOKENS_ISSUED).hasSize(1);
    assertThat(server.context().jdbc().count("SELECT COUNT(*) FROM refresh_tokens WHERE grant_id = ?", grantId))
        .isEqualTo(1);
    // The 49 others replayed a redeemed code: the grant is revoked, and with it the winner's tokens.
    assertThat(server.context().tokens().findGrant(grantId).orElseThrow().active()).isFalse();
    assertThat(oauth.active(OAuthCalls.tokens(winners.get(0)).accessToken())).isFalse();
  }
}
