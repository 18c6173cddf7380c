package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import java.net.HttpCookie;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Loading pages stores nothing: until a form is posted, the session is a signed ticket in the
 * cookie. The first post stores it, with the ticket's ref, and each address has a bounded number of
 * anonymous sessions stored at once. Each test comes from addresses of its own.
 */
@ServerOnEachBackend(args = {"--trusted-proxy", "127.0.0.1"})
class AnonymousSessionsTest {
  private static final String NOT_ISSUED = "XZXZ-XZXZ";
  private static final AtomicInteger NEXT_ADDRESS = new AtomicInteger(1);

  @ServerUnderTest private static TestServer server;

  private static String newAddress() {
    int n = NEXT_ADDRESS.getAndIncrement();
    return "203.0." + (n / 250) + "." + (n % 250 + 1);
  }

  private static long storedSessions() {
    return server.jdbc().count("SELECT COUNT(*) FROM browser_sessions");
  }

  @Test
  void loadingPagesWithoutACookieAgainAndAgainStoresNoSession() {
    long before = storedSessions();
    String address = newAddress();
    for (int i = 0; i < 40; i++) {
      for (String path :
          List.of("/device", "/device?user_code=" + NOT_ISSUED, "/login", "/account", "/admin")) {
        Page page = new Browser(server).from(address).get(path);
        assertThat(page.status()).isIn(200, 303);
      }
    }
    assertThat(storedSessions()).isEqualTo(before);
  }

  @Test
  void theFirstFormPostStoresTheSessionOnceWithTheTicketsRefAndToken() {
    Browser browser = new Browser(server).from(newAddress());
    String csrf = browser.get("/device").csrf();
    long before = storedSessions();

    Page wrong = browser.post("/device", Map.of("csrf", csrf, "user_code", NOT_ISSUED));
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(storedSessions()).isEqualTo(before + 1);
    // The token of the forms already shown goes on working, and no more rows follow.
    assertThat(browser.post("/device", Map.of("csrf", csrf, "user_code", NOT_ISSUED)).status())
        .isEqualTo(400);
    assertThat(browser.get("/device").csrf()).isEqualTo(csrf);
    assertThat(storedSessions()).isEqualTo(before + 1);
    List<String> refs =
        server
            .jdbc()
            .query(
                "SELECT session_ref FROM audit_events WHERE event = ? AND ip = ?",
                r -> r.getString(1),
                AuditEvent.Type.USER_CODE_WRONG.name(),
                browser.forwardedFor);
    assertThat(refs).hasSize(2).containsOnly(refs.get(0));
    assertThat(
            server.jdbc().count("SELECT COUNT(*) FROM browser_sessions WHERE ref = ?", refs.get(0)))
        .isEqualTo(1);
  }

  @Test
  void aTicketPostedAgainWithoutItsSessionCookieIsStillOneSessionSoItsWrongCodesAddUp() {
    Browser browser = new Browser(server).from(newAddress());
    String csrf = browser.get("/device").csrf();
    String ticket = browser.sessionCookie().orElseThrow();
    // Each wrong code from another address, so that only the count of the session can stop them.
    for (int i = 0; i < Defaults.WRONG_CODES_ALLOWED - 1; i++) {
      plant(browser, ticket);
      browser.from(newAddress());
      assertThat(browser.post("/device", Map.of("csrf", csrf, "user_code", NOT_ISSUED)).status())
          .isEqualTo(400);
    }
    plant(browser, ticket);
    browser.from(newAddress());
    Page last = browser.post("/device", Map.of("csrf", csrf, "user_code", NOT_ISSUED));
    assertThat(last.status()).as(last.text()).isEqualTo(429);
    assertThat(last.text()).contains("Too many wrong codes");
  }

  @Test
  void aPostWithoutATicketOrWithAForgedOrExpiredOneIsRefusedAndStoresNothing() {
    String address = newAddress();
    Browser browser = new Browser(server).from(address);
    String csrf = browser.get("/device").csrf();
    String ticket = browser.sessionCookie().orElseThrow();
    long before = storedSessions();
    Map<String, String> form = Map.of("csrf", csrf, "user_code", NOT_ISSUED);

    Browser none = new Browser(server).from(address);
    assertThat(none.post("/device", form).status()).isEqualTo(403);

    int mac = ticket.lastIndexOf('.') + 1;
    String otherMac = ticket.substring(0, mac) + flip(ticket.substring(mac));
    String[] parts = ticket.split("\\.");
    String laterIssue =
        String.join(
                ".", parts[0], parts[1], parts[2], Long.toString(Long.parseLong(parts[3]) + 3600))
            + "."
            + parts[4];
    String otherToken =
        String.join(".", parts[0], flip(parts[1]), parts[2], parts[3]) + "." + parts[4];
    for (String forged : List.of(otherMac, laterIssue, otherToken, ticket + "x", "t1." + csrf)) {
      IssuedSecrets.register(forged);
      Browser planted = new Browser(server).from(address);
      plant(planted, forged);
      Page refused = planted.post("/device", form);
      assertThat(refused.status()).as(forged).isEqualTo(403);
      assertThat(refused.text()).contains("This form can't be accepted");
    }

    // The real ticket, once its idle timeout has passed.
    server.clock.advance(Defaults.BROWSER_SESSION_IDLE_TIMEOUT);
    Page expired = browser.post("/device", form);
    assertThat(expired.status()).isEqualTo(403);
    assertThat(storedSessions()).isEqualTo(before);
    assertThat(
            server
                .jdbc()
                .count(
                    "SELECT COUNT(*) FROM audit_events WHERE event = ? AND ip = ?",
                    AuditEvent.Type.USER_CODE_WRONG.name(),
                    address))
        .isZero();
  }

  @Test
  void aTicketInUseLivesOnButOneLeftAloneForTheIdleTimeoutEnds() {
    Browser browser = new Browser(server).from(newAddress());
    String csrf = browser.get("/device").csrf();
    for (int i = 0; i < 3; i++) {
      server.clock.advance(Defaults.BROWSER_SESSION_IDLE_TIMEOUT.minusMinutes(1));
      assertThat(browser.get("/device").csrf()).isEqualTo(csrf);
    }
    server.clock.advance(Defaults.BROWSER_SESSION_IDLE_TIMEOUT);
    assertThat(browser.get("/device").csrf()).isNotEqualTo(csrf);
  }

  @Test
  void overTheCapOfAnonymousSessionsPerAddressAFormPostIs429WithRetryAfterAndStoresNoRow() {
    String address = newAddress();
    for (int i = 0; i < Defaults.ANONYMOUS_SESSIONS_PER_ADDRESS; i++) {
      Browser b = new Browser(server).from(address);
      // A blank code is refused without counting as a wrong one: only the session is stored.
      Page blank = b.submit("/device", "/device", Map.of("user_code", ""));
      assertThat(blank.status()).as(blank.text()).isEqualTo(400);
    }
    assertThat(
            server
                .jdbc()
                .count("SELECT COUNT(*) FROM browser_sessions WHERE created_ip = ?", address))
        .isEqualTo(Defaults.ANONYMOUS_SESSIONS_PER_ADDRESS);

    Browser over = new Browser(server).from(address);
    Page refused = over.submit("/device", "/device", Map.of("user_code", ""));
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.text())
        .contains("Too many sign-ins from your network")
        .contains("Nothing was changed");
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(1L, Defaults.BROWSER_SESSION_IDLE_TIMEOUT.toSeconds() + 1);
    assertThat(
            server
                .jdbc()
                .count("SELECT COUNT(*) FROM browser_sessions WHERE created_ip = ?", address))
        .isEqualTo(Defaults.ANONYMOUS_SESSIONS_PER_ADDRESS);

    // Another address is not held back, and this one can post again once the sessions end.
    Browser elsewhere = new Browser(server).from(newAddress());
    assertThat(elsewhere.submit("/device", "/device", Map.of("user_code", "")).status())
        .isEqualTo(400);
    server.clock.advance(Duration.ofSeconds(retryAfter));
    assertThat(over.submit("/device", "/device", Map.of("user_code", "")).status()).isEqualTo(400);
  }

  @Test
  void aBurstOfFirstPostsFromOneAddressCannotStoreMoreThanTheCap() throws Exception {
    String address = newAddress();
    int burst = Defaults.ANONYMOUS_SESSIONS_PER_ADDRESS + 10;
    List<Browser> browsers = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < burst; i++) {
      Browser b = new Browser(server).from(address);
      tokens.add(b.get("/device").csrf());
      browsers.add(b);
    }
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < burst; i++) {
        Browser b = browsers.get(i);
        String csrf = tokens.get(i);
        statuses.add(pool.submit(() -> b.post("/device", Map.of("csrf", csrf)).status()));
      }
      long refused = 0;
      for (Future<Integer> status : statuses) {
        refused += status.get() == 429 ? 1 : 0;
      }
      assertThat(refused).isEqualTo(burst - Defaults.ANONYMOUS_SESSIONS_PER_ADDRESS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(
            server
                .jdbc()
                .count("SELECT COUNT(*) FROM browser_sessions WHERE created_ip = ?", address))
        .isEqualTo(Defaults.ANONYMOUS_SESSIONS_PER_ADDRESS);
  }

  private static void plant(Browser browser, String value) {
    browser.cookies.getCookieStore().removeAll();
    HttpCookie c = new HttpCookie(SessionCookies.COOKIE, value);
    c.setPath("/");
    c.setVersion(0);
    browser.cookies.getCookieStore().add(server.uri("/"), c);
  }

  /** The same text with its first character changed. */
  private static String flip(String s) {
    return (s.charAt(0) == 'A' ? "B" : "A") + s.substring(1);
  }
}
