package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import io.devicelogin.server.web.Terminal.Code;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Five wrong codes in 15 minutes pause code entry for that browser session, and six times as many
 * for its address group, until the oldest leaves the window; while paused even a right code is
 * refused.
 */
@ExtendWith(NoSecretsInOutput.class)
class CodeEntryLockoutTest {
  /**
   * A code never issued; not the pages' example code, which is not counted (CodeEntryPausesTest).
   */
  private static final String NOT_ISSUED = "XZXZ-XZXZ";

  @AutoClose private TestServer server;

  @Test
  void fiveWrongCodesLockTheSessionOutUntilTheWindowHasPassed() {
    server = TestServer.start();
    Browser browser = new Browser(server);
    for (int i = 1; i < Defaults.WRONG_CODES_ALLOWED; i++) {
      Page wrong = Flows.enterCode(browser, NOT_ISSUED);
      assertThat(wrong.status()).isEqualTo(400);
      assertThat(wrong.text()).contains("That code isn't valid");
    }
    Page fifth = Flows.enterCode(browser, NOT_ISSUED);
    assertThat(fifth.status()).isEqualTo(429);
    // The clock stands at 2026-01-01T00:00:00Z: the window ends at 00:15.
    assertThat(fifth.text())
        .contains("Too many wrong codes")
        .contains("Try again after 00:15 UTC (in 15 min)");
    assertThat(fifth.headers().firstValue("Retry-After")).isPresent();

    // The sixth is refused although it is right, and nothing is entered.
    Code code = new Terminal(server).requestCode("openid");
    Page sixth = Flows.enterCode(browser, code.userCode());
    assertThat(sixth.status()).isEqualTo(429);
    assertThat(sixth.text()).contains("Try again after 00:15 UTC");
    assertThat(events(AuditEvent.Type.USER_CODE_ENTERED)).isZero();
    assertThat(events(AuditEvent.Type.RATE_LIMITED)).isEqualTo(1);
    assertThat(browser.get("/device").status()).as("the code page says so too").isEqualTo(429);
    assertThat(metricsText())
        .containsPattern("devicelogin_rate_limited\\w*\\{[^}]*limit=\"user_code\"[^}]*\\} 1\\.0");

    server.clock.advance(Duration.ofMinutes(14));
    Page stillLocked = Flows.enterCode(browser, code.userCode());
    assertThat(stillLocked.status()).isEqualTo(429);
    assertThat(stillLocked.text()).contains("Try again after 00:15 UTC (in 1 min)");

    server.clock.advance(Duration.ofMinutes(1).plusSeconds(1));
    Code fresh = new Terminal(server).requestCode("openid");
    Page entered = Flows.enterCode(browser, fresh.userCode());
    assertThat(entered.status()).as(entered.text()).isEqualTo(303);
    assertThat(entered.location())
        .hasValueSatisfying(l -> assertThat(l).startsWith("/device/consent?request="));
  }

  // Issue 13, finding 9: the address is paused at six sessions' worth of wrong codes, no longer at
  // one session's (the sessions here stay below their own allowance).
  @Test
  void wrongCodesFromOneAddressCountAcrossSessions() {
    server = TestServer.start(List.of("--trusted-proxy", "127.0.0.1"));
    List<Browser> sessions = new ArrayList<>();
    for (int i = 0; i < Defaults.WRONG_CODES_ALLOWED_PER_ADDRESS / 4; i++) {
      Browser session = new Browser(server).from("198.51.100.20");
      sessions.add(session);
      for (int j = 0; j < 4; j++) {
        assertThat(Flows.enterCode(session, NOT_ISSUED).status()).isEqualTo(400);
      }
    }
    Browser first = sessions.get(0);
    Browser second = new Browser(server).from("198.51.100.20");
    for (int i = 0; i < Defaults.WRONG_CODES_ALLOWED_PER_ADDRESS % 4 - 1; i++) {
      assertThat(Flows.enterCode(second, NOT_ISSUED).status()).isEqualTo(400);
    }
    Page locked = Flows.enterCode(second, NOT_ISSUED);
    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.text()).contains("Try again after 00:15 UTC");

    Code code = new Terminal(server).requestCode("openid");
    assertThat(Flows.enterCode(first, code.userCode()).status())
        .as("the first session, same address")
        .isEqualTo(429);
    Page newSession = new Browser(server).from("198.51.100.20").get("/device");
    assertThat(newSession.status()).as("a brand-new session from that address").isEqualTo(429);
    assertThat(newSession.body()).doesNotContain("name=\"user_code\"");

    Page elsewhere = Flows.enterCode(new Browser(server).from("192.0.2.55"), code.userCode());
    assertThat(elsewhere.status()).as("another address is not locked").isEqualTo(303);
  }

  @Test
  void theLimitIsCountedFromTheAuditTrailSoItHoldsAcrossInstances() {
    server = TestServer.start();
    Browser browser = new Browser(server);
    Flows.enterCode(browser, NOT_ISSUED);
    String session =
        server.context().audit().find(null, null, null, 10).stream()
            .filter(e -> e.event() == AuditEvent.Type.USER_CODE_WRONG)
            .findFirst()
            .orElseThrow()
            .sessionRef();
    // Wrong codes that another instance recorded for this session.
    for (int i = 0; i < Defaults.WRONG_CODES_ALLOWED - 1; i++) {
      server
          .context()
          .audit()
          .record(
              AuditEvent.inSession(
                  AuditEvent.Type.USER_CODE_WRONG,
                  Optional.empty(),
                  new Origin("127.0.0.1", null),
                  session));
    }
    Code code = new Terminal(server).requestCode("openid");
    assertThat(Flows.enterCode(browser, code.userCode()).status()).isEqualTo(429);
  }

  @Test
  void aBurstOfParallelWrongCodesCannotGetPastTheLimit() throws Exception {
    server = TestServer.start();
    Browser browser = new Browser(server);
    String csrf = browser.get("/device").csrf();
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        statuses.add(
            pool.submit(
                () ->
                    browser
                        .post("/device", Map.of("csrf", csrf, "user_code", NOT_ISSUED))
                        .status()));
      }
      long refused = 0;
      for (Future<Integer> status : statuses) {
        refused += status.get() == 429 ? 1 : 0;
      }
      assertThat(events(AuditEvent.Type.USER_CODE_WRONG)).isEqualTo(Defaults.WRONG_CODES_ALLOWED);
      assertThat(refused).isEqualTo(40 - Defaults.WRONG_CODES_ALLOWED + 1);
    } finally {
      pool.shutdownNow();
    }
  }

  private long events(AuditEvent.Type type) {
    return server.context().audit().find(null, null, null, 1000).stream()
        .filter(e -> e.event() == type)
        .count();
  }

  private String metricsText() {
    return server.context().metrics().scrape();
  }
}
