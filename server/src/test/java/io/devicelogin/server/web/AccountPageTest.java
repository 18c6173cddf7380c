package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.Grant;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import io.devicelogin.server.web.Terminal.Code;
import io.devicelogin.server.web.Terminal.Poll;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** "Your CLI sessions": a person's own grants, in words, each revocable by them and only them. */
@ExtendWith(NoSecretsInOutput.class)
class AccountPageTest {
  @AutoClose private TestServer server;

  /** Approves a request of the terminal in the browser; returns the tokens' poll. */
  private Poll approve(Terminal terminal, Browser browser, String username, Secret password) {
    Code code = terminal.requestCode("openid profile offline_access");
    Page consent = Flows.toConsent(browser, code.userCode(), username, password);
    assertThat(Flows.decide(browser, consent, "approve").status()).isEqualTo(200);
    Poll poll = terminal.poll(code);
    assertThat(poll.status()).isEqualTo(200);
    return poll;
  }

  @Test
  void showsTheGrantAndRevokesIt() {
    server = TestServer.start(List.of("--trusted-proxy", "127.0.0.1"));
    Browser browser = new Browser(server);
    Poll tokens =
        approve(
            new Terminal(server).from("203.0.113.7"),
            browser,
            "demo",
            Secret.of(server.demoPassword));
    Secret access = Secret.of(tokens.json().get("access_token").asText());
    assertThat(server.context().tokens().validAccessToken(access)).isPresent();
    server.clock.advance(Duration.ofMinutes(3));

    Page account = browser.shown("/account");
    assertThat(account.text())
        .contains("Your CLI sessions")
        .contains("devicelogin CLI")
        .contains("Active")
        .contains("See your name")
        .contains("offline_access")
        .contains("3 min ago from 203.0.113.7")
        .contains("using devicelogin/0.1 (linux; test terminal)")
        .contains("from 127.0.0.1")
        .contains("using Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0")
        .contains("Last used 3 min ago (2026-01-01 00:00:00 UTC)");

    Grant grant = server.context().tokens().grantsOf(server.demoUser().id()).get(0);
    Page revoked =
        browser.post("/account/revoke", Map.of("csrf", account.csrf(), "grant", grant.id()));
    assertThat(revoked.status()).isEqualTo(303);
    Page after = browser.follow(revoked);
    assertThat(after.text())
        .contains("Access revoked")
        .contains("Revoked")
        .contains("by demo")
        .contains("revoked on the account page");
    assertThat(after.body()).doesNotContain("action=\"/account/revoke\"");

    assertThat(server.context().tokens().validAccessToken(access)).isEmpty();
    assertThat(server.context().tokens().findGrant(grant.id()).orElseThrow().active()).isFalse();
    AuditEvent event =
        server.context().audit().find(null, null, grant.id(), 10).stream()
            .filter(e -> e.event() == AuditEvent.Type.REVOKED)
            .findFirst()
            .orElseThrow();
    assertThat(event.actor()).isEqualTo("user:demo");
  }

  @Test
  void onlyTheirOwnGrantsAreShownAndRevocable() {
    server = TestServer.start();
    Secret alicePassword = server.createUser("alice", false);
    Browser demo = new Browser(server);
    approve(new Terminal(server), demo, "demo", Secret.of(server.demoPassword));
    Grant demosGrant = server.context().tokens().grantsOf(server.demoUser().id()).get(0);

    Browser alice = new Browser(server);
    alice.signIn("alice", alicePassword);
    Page page = alice.get("/account");
    assertThat(page.text()).contains("No CLI sessions yet").doesNotContain("devicelogin CLI");

    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf", page.csrf());
    form.put("grant", demosGrant.id());
    Page refused = alice.post("/account/revoke", form);
    assertThat(refused.status()).isEqualTo(404);
    assertThat(server.context().tokens().findGrant(demosGrant.id()).orElseThrow().active())
        .isTrue();
  }

  @Test
  void signedOutVisitorsAreSentToSignInAndBack() {
    server = TestServer.start();
    Browser browser = new Browser(server);
    Page page = browser.get("/account");
    assertThat(page.status()).isEqualTo(303);
    assertThat(page.location()).hasValue("/login?next=%2Faccount");
    Page signedIn = Flows.signInAt(browser, page, "demo", Secret.of(server.demoPassword));
    assertThat(signedIn.location()).hasValue("/account");
  }
}
