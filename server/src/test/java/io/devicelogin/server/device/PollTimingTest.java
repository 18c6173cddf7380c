package io.devicelogin.server.device;

import static io.devicelogin.server.testing.OAuthCalls.assertPending;
import static io.devicelogin.server.testing.OAuthCalls.assertSlowDown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.devicelogin.server.testing.Backend;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.DeviceCode;
import io.devicelogin.server.testing.PollRules;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * RFC 8628 §3.5 polling rules over HTTP, timed by the server's manual clock: a poll sooner than 90
 * % of the current interval gets {@code slow_down} and the interval grows by 5 s; the first poll is
 * never throttled; a rejected poll does not move the clock the next one is measured from. On H2 the
 * poll clock lives in memory and a pending poll writes nothing; on PostgreSQL it lives in the
 * code's row (shared by instances: {@code SeveralInstancesTest}).
 */
// A new rate-limit window for device authorizations before each test; no code of an earlier test
// matters here.
@ServerOnEachBackend(minutesBeforeEachTest = 1)
class PollTimingTest {
  @ServerUnderTest private static TestServer server;
  @ServerUnderTest private static OAuthCalls oauth;

  @ServerUnderTest Backend backend;

  private static void after(Duration d) {
    server.clock.advance(d);
  }

  @Test
  void theFirstPollIsNeverThrottledEvenAtTheInstantOfIssue() {
    DeviceCode code = oauth.deviceCode();
    assertPending(oauth.poll(code));
  }

  @Test
  void aPollSoonerThanNinetyPercentOfTheIntervalGetsSlowDownAndTheIntervalGrowsByFiveSeconds() {
    DeviceCode code = PollRules.theGrownIntervalHoldsForLaterPolls(oauth, oauth, server.clock);
    after(Duration.ofSeconds(13)); // 13 s < 13.5 s
    assertSlowDown(oauth.poll(code), 20);
  }

  @Test
  void aPollAtNinetyPercentOfTheIntervalIsOnTimeAndOneMillisecondSoonerIsNot() {
    DeviceCode onTime = oauth.deviceCode();
    DeviceCode early = oauth.deviceCode();
    assertPending(oauth.poll(onTime));
    assertPending(oauth.poll(early));
    after(Duration.ofMillis(4_499));
    assertSlowDown(oauth.poll(early), 10);
    after(Duration.ofMillis(1));
    assertPending(oauth.poll(onTime));
  }

  @Test
  void aRejectedPollDoesNotMoveTheClockTheNextPollIsMeasuredFrom() {
    PollRules.aRefusedPollDoesNotMoveTheClock(oauth, oauth, server.clock);
  }

  @Test
  void pollsAtTheIntervalAreNeverThrottled() {
    PollRules.pollsAtTheIntervalAreNeverThrottled(oauth, oauth, server.clock);
  }

  @Test
  void eachCodeKeepsItsOwnClockAndInterval() {
    DeviceCode slow = oauth.deviceCode();
    DeviceCode other = oauth.deviceCode();
    assertPending(oauth.poll(slow));
    assertSlowDown(oauth.poll(slow), 10);
    assertPending(oauth.poll(other));
  }

  @Test
  void aClientsConfiguredIntervalIsTheOneEnforced() {
    DeviceCode code = oauth.deviceCode(TestClients.QUICK_CLI, "openid");
    assertThat(code.interval()).isEqualTo(7);
    assertPending(oauth.poll(TestClients.QUICK_CLI, code.deviceCode()));
    after(Duration.ofMillis(6_299)); // 90 % of 7 s is 6.3 s
    assertSlowDown(oauth.poll(TestClients.QUICK_CLI, code.deviceCode()), 12);
    after(Duration.ofMillis(1));
    assertSlowDown(oauth.poll(TestClients.QUICK_CLI, code.deviceCode()), 17);
  }

  /**
   * The poll clock's columns, which a pending poll on PostgreSQL writes (see {@link
   * DatabasePollClock}).
   */
  private static final Set<String> POLL_CLOCK =
      Set.of("last_poll_ms", "poll_interval_seconds", "last_poll_too_early");

  /** Every column of the code's row, by name. */
  private static Map<String, Object> row(DeviceCode code) {
    return server
        .jdbc()
        .queryOne(
            "SELECT * FROM device_authorizations WHERE user_code = ?",
            r -> {
              Map<String, Object> columns = new TreeMap<>();
              for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                columns.put(
                    r.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT), r.getObject(i));
              }
              return columns;
            },
            code.userCode().replace("-", ""))
        .orElseThrow();
  }

  private static Map<String, Object> without(Map<String, Object> row, Set<String> columns) {
    Map<String, Object> rest = new TreeMap<>(row);
    rest.keySet().removeAll(columns);
    return rest;
  }

  @Test
  void aPendingPollWritesNoAuditEventAndLeavesTheCodeAsIssued() {
    DeviceCode code = oauth.deviceCode();
    long auditRows = server.jdbc().count("SELECT COUNT(*) FROM audit_events");
    Map<String, Object> before = row(code);
    assertPending(oauth.poll(code));
    assertSlowDown(oauth.poll(code), 10);
    assertThat(server.jdbc().count("SELECT COUNT(*) FROM audit_events")).isEqualTo(auditRows);
    assertThat(without(row(code), POLL_CLOCK))
        .as("status and issued interval included")
        .isEqualTo(without(before, POLL_CLOCK));
  }

  @Test
  void onH2APendingPollWritesNothingToTheDatabase() {
    assumeTrue(backend == Backend.H2, "on PostgreSQL the poll clock lives in the row");
    DeviceCode code = oauth.deviceCode();
    Map<String, Object> before = row(code);
    assertPending(oauth.poll(code));
    assertSlowDown(oauth.poll(code), 10);
    assertThat(row(code)).isEqualTo(before);
  }

  @Test
  void onPostgresqlAPendingPollKeepsTheCodesPollClockInItsRow() {
    assumeTrue(backend == Backend.POSTGRES, "on H2 the poll clock lives in memory");
    DeviceCode code = oauth.deviceCode();
    assertPending(oauth.poll(code));
    after(Duration.ofSeconds(1));
    assertSlowDown(oauth.poll(code), 10);
    Map<String, Object> row = row(code);
    assertThat(((Number) row.get("last_poll_ms")).longValue())
        .isEqualTo(server.clock.millis() - 1_000);
    assertThat(row.get("poll_interval_seconds")).isEqualTo(10);
    assertThat(row.get("last_poll_too_early")).isEqualTo(true);
    assertThat(row.get("interval_seconds")).as("as issued").isEqualTo(5);
  }
}
