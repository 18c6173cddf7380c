package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.DeviceAuthorizationRecord;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import io.devicelogin.server.web.Terminal.Code;
import io.devicelogin.server.web.Terminal.Poll;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The person's path from the code in the terminal to the decision, and what the terminal then gets.
 */
@ExtendWith(NoSecretsInOutput.class)
class VerificationFlowTest {
  private static final String SCOPES = "openid profile offline_access";

  /**
   * Trusts the loopback address as a proxy, so that a terminal can seem to be elsewhere through
   * {@code X-Forwarded-For}; a request without that header comes from 127.0.0.1 all the same.
   */
  @AutoClose private TestServer server;

  /** The person's terminal and browser, both on this host. */
  private Terminal terminal;

  private Browser browser;

  @BeforeEach
  void startTheServer() {
    server = TestServer.start(List.of("--trusted-proxy", "127.0.0.1"));
    terminal = new Terminal(server);
    browser = new Browser(server);
  }

  private Secret demoPassword() {
    return Secret.of(server.demoPassword);
  }

  @Test
  void enteringTheCodeSigningInAndApprovingGivesTheTerminalItsTokens() {
    // The terminal's request arrives through a trusted proxy from 203.0.113.7; the person is
    // elsewhere.
    terminal.from("203.0.113.7");
    Code code = terminal.requestCode(SCOPES);
    assertThat(terminal.poll(code).error()).isEqualTo("authorization_pending");
    server.clock.advance(Duration.ofSeconds(40));

    Page consent = Flows.toConsent(browser, code.userCode(), "demo", demoPassword());

    String text = consent.text();
    assertThat(text)
        .contains("devicelogin CLI")
        .contains(code.userCode())
        .contains("requested 40 s ago from 203.0.113.7")
        .contains("Confirm who you are (your account identifier)")
        .contains("See your name")
        .contains("Stay signed in: keep access after this session, until you revoke it")
        .contains("using devicelogin/0.1 (linux; test terminal)")
        .contains(
            "Continue only if you started this sign-in yourself. If a website, an email or another person"
                + " gave you this code, deny.")
        .contains("This request came from a different network address than yours.");
    assertThat(consent.body()).contains("value=\"approve\"").contains("value=\"deny\"");

    Page decided = Flows.decide(browser, consent, "approve");
    assertThat(decided.status()).isEqualTo(200);
    assertThat(decided.text()).contains("Approved").contains("You can return to your terminal");

    server.clock.advance(Duration.ofSeconds(5));
    Poll poll = terminal.poll(code);
    assertThat(poll.status()).isEqualTo(200);
    assertThat(poll.json().path("access_token").asText()).isNotEmpty();
    assertThat(
            server
                .context()
                .tokens()
                .validAccessToken(Secret.of(poll.json().get("access_token").asText())))
        .hasValueSatisfying(
            claims -> assertThat(claims.subject()).isEqualTo(server.demoUser().id()));

    // The audit trail has the code entry and the approval, tied to the browser session.
    List<AuditEvent> events = server.context().audit().find(null, Terminal.CLIENT, null, 100);
    assertThat(events)
        .extracting(AuditEvent::event)
        .contains(
            AuditEvent.Type.USER_CODE_ENTERED,
            AuditEvent.Type.APPROVED,
            AuditEvent.Type.TOKENS_ISSUED);
    AuditEvent entered =
        events.stream()
            .filter(e -> e.event() == AuditEvent.Type.USER_CODE_ENTERED)
            .findFirst()
            .orElseThrow();
    AuditEvent approved =
        events.stream()
            .filter(e -> e.event() == AuditEvent.Type.APPROVED)
            .findFirst()
            .orElseThrow();
    assertThat(entered.sessionRef()).isNotNull().isEqualTo(approved.sessionRef());
    assertThat(entered.ip()).isEqualTo("127.0.0.1");
  }

  @Test
  void denyingMakesTheTerminalsPollAnswerAccessDenied() {
    Code code = terminal.requestCode(SCOPES);
    Page consent = Flows.toConsent(browser, code.userCode(), "demo", demoPassword());
    assertThat(consent.text()).doesNotContain("different network address");

    Page decided = Flows.decide(browser, consent, "deny");
    assertThat(decided.status()).isEqualTo(200);
    assertThat(decided.text())
        .contains("Denied")
        .contains("Nothing was shared with devicelogin CLI");

    Poll poll = terminal.poll(code);
    assertThat(poll.status()).isEqualTo(400);
    assertThat(poll.error()).isEqualTo("access_denied");
  }

  @Test
  void theCodeInTheLinkOnlyFillsInTheFormAndApprovesNothing() {
    Code code = terminal.requestCode(SCOPES);
    browser.signIn("demo", demoPassword());

    Page page = browser.get(code.verificationUriComplete().replaceFirst("^https?://[^/]+", ""));
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("value=\"" + code.userCode() + "\"");
    assertThat(page.text()).contains("Check that this is the code your terminal shows");

    DeviceAuthorizationRecord record =
        server.context().devices().findLive(code.bare()).orElseThrow();
    assertThat(record.status()).isEqualTo(DeviceAuthorizationRecord.Status.PENDING);
    assertThat(server.context().audit().find(null, null, null, 100))
        .extracting(AuditEvent::event)
        .doesNotContain(AuditEvent.Type.USER_CODE_ENTERED, AuditEvent.Type.APPROVED);
    assertThat(terminal.poll(code).error()).isEqualTo("authorization_pending");
  }

  @Test
  void aLowerCaseCodeWithSpacesIsAccepted() {
    Code code = terminal.requestCode(SCOPES);
    String typed =
        " "
            + code.bare().substring(0, 4).toLowerCase()
            + " "
            + code.bare().substring(4).toLowerCase()
            + " ";

    Page consent = Flows.toConsent(browser, typed, "demo", demoPassword());
    assertThat(consent.text()).contains(code.userCode());
  }

  @Test
  void consentForARequestEnteredInAnotherBrowserIsRefused() {
    Code code = terminal.requestCode(SCOPES);
    Browser victim = browser;
    Page consent = Flows.toConsent(victim, code.userCode(), "demo", demoPassword());
    String id = Flows.requestId(consent);

    // Someone else, signed in, who learnt the id but never entered the code.
    Secret malloryPassword = server.createUser("mallory", false);
    Browser mallory = new Browser(server);
    mallory.signIn("mallory", malloryPassword);
    Page shown = mallory.get("/device/consent?request=" + id);
    assertThat(shown.status()).isEqualTo(403);
    assertThat(shown.text())
        .contains("wasn't started in this browser")
        .doesNotContain(code.userCode());

    Page account = mallory.get("/account");
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf", account.csrf());
    form.put("request", id);
    form.put("decision", "approve");
    Page posted = mallory.post("/device/consent", form);
    assertThat(posted.status()).isEqualTo(403);
    assertThat(server.context().devices().find(id).orElseThrow().status())
        .isEqualTo(DeviceAuthorizationRecord.Status.PENDING);
    assertThat(terminal.poll(code).error()).isEqualTo("authorization_pending");
  }

  @Test
  void aHostileUserAgentIsShownEscaped() {
    terminal.userAgent = "<script>alert(\"x\")</script><img src=x onerror=alert(1)>";
    Code code = terminal.requestCode(SCOPES);

    Page consent = Flows.toConsent(browser, code.userCode(), "demo", demoPassword());
    assertThat(consent.body())
        .doesNotContain("<script")
        .doesNotContain("<img")
        .contains("&lt;script&gt;alert(");
    assertThat(consent.text())
        .contains("<script>alert(\"x\")</script><img src=x onerror=alert(1)>");
  }

  @Test
  void aRequestAnsweredOrExpiredCannotBeDecidedAgain() {
    Code code = terminal.requestCode(SCOPES);
    Page consent = Flows.toConsent(browser, code.userCode(), "demo", demoPassword());
    assertThat(Flows.decide(browser, consent, "approve").status()).isEqualTo(200);

    Page again = Flows.decide(browser, consent, "deny");
    assertThat(again.status()).isEqualTo(410);
    assertThat(again.text()).contains("already been approved");

    Code late = terminal.requestCode(SCOPES);
    Page lateConsent = Flows.toConsent(browser, late.userCode(), "demo", demoPassword());
    server.clock.advance(Duration.ofMinutes(11));
    Page expired = Flows.decide(browser, lateConsent, "approve");
    assertThat(expired.status()).isEqualTo(410);
    assertThat(expired.text()).contains("expired");
    assertThat(terminal.poll(late).error()).isEqualTo("expired_token");
  }

  @Test
  void anExpiredUserCodeIsRefusedAtEntryEvenBeforeTheSweeperRuns() {
    Code code = terminal.requestCode(SCOPES);
    server.clock.advance(Duration.ofMinutes(10).plusMillis(1));

    Page entered = Flows.enterCode(browser, code.userCode());
    assertThat(entered.status()).as("refused, not sent on to sign-in").isEqualTo(400);
    // Issue 13, finding 9: said as what it is, and not counted as a wrong code.
    assertThat(entered.text()).contains("That code has expired or was already used");
    assertThat(terminal.poll(code).error()).isEqualTo("expired_token");
  }

  @Test
  void aWrongCodeSaysSoAndIsAudited() {
    // Not the example code BCDF-GHJK, which is not counted (issue 13, finding 9).
    Page wrong = Flows.enterCode(browser, "XZXZ-XZXZ");
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(wrong.text()).contains("That code isn't valid").contains("You can try 4 more times");

    AuditEvent event =
        server.context().audit().find(null, null, null, 10).stream()
            .filter(e -> e.event() == AuditEvent.Type.USER_CODE_WRONG)
            .findFirst()
            .orElseThrow();
    assertThat(event.ip()).isEqualTo("127.0.0.1");
    assertThat(event.sessionRef()).isNotBlank();
    assertThat(event.detail()).doesNotContain("XZXZ");
  }
}
