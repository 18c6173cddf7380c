package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.DeviceAuthorizationRecord;
import io.devicelogin.server.store.User;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import io.devicelogin.server.web.Terminal.Code;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Signing in: what failures say, disabled and locked accounts, where a success leads. */
@ExtendWith(NoSecretsInOutput.class)
class SignInTest {
  @AutoClose private final TestServer server = TestServer.start();

  @Test
  void aWrongPasswordAndAnUnknownUserGetTheSameAnswerAndNoPasswordIsAudited() {
    Secret wrong = Secret.of(IssuedSecrets.fresh("wrong-pw-"));
    Page badPassword = new Browser(server).signIn("demo", wrong);
    Page badUser = new Browser(server).signIn("nobody", wrong);
    for (Page page : List.of(badPassword, badUser)) {
      assertThat(page.status()).isEqualTo(401);
      assertThat(page.text()).contains("Wrong username or password.");
      assertThat(page.body()).doesNotContain(wrong.revealForTransmission());
    }
    List<AuditEvent> failures =
        server.context().audit().find(null, null, null, 100).stream()
            .filter(e -> e.event() == AuditEvent.Type.SIGN_IN_FAILED)
            .toList();
    assertThat(failures).hasSize(2);
    assertThat(failures)
        .allSatisfy(
            e -> {
              assertThat(String.valueOf(e.detail()) + e.actor() + e.userAgent())
                  .doesNotContain(wrong.revealForTransmission());
              assertThat(e.sessionRef()).isNotBlank();
              assertThat(e.ip()).isEqualTo("127.0.0.1");
            });
    assertThat(failures)
        .extracting(AuditEvent::userId)
        .containsExactlyInAnyOrder(server.demoUser().id(), null);
  }

  @Test
  void tenFailedSignInsPauseSigningInEvenWithTheRightPasswordUntilTheWindowHasPassed() {
    Browser browser = new Browser(server);
    Secret wrong = Secret.of(IssuedSecrets.fresh("wrong-pw-"));
    // Names that are no account, so that the account's own delay (SignInLockoutTest) stays out.
    for (int i = 0; i < Defaults.SIGN_IN_FAILURES_ALLOWED; i++) {
      assertThat(browser.signIn("nobody-" + i, wrong).status())
          .as("failure %d", i + 1)
          .isEqualTo(401);
    }

    Page paused = browser.signIn("demo", Secret.of(server.demoPassword));
    assertThat(paused.status()).isEqualTo(429);
    assertThat(paused.text()).contains("Too many failed sign-ins");
    assertThat(paused.headers().firstValue("Retry-After")).isPresent();
    assertThat(new Browser(server).signIn("demo", Secret.of(server.demoPassword)).status())
        .as("another browser on the same address is paused too")
        .isEqualTo(429);

    server.clock.advance(Defaults.SIGN_IN_WINDOW.plusSeconds(1));
    assertThat(browser.signIn("demo", Secret.of(server.demoPassword)).status()).isEqualTo(303);
  }

  @Test
  void aSuccessfulSignInIsAuditedAndReturnsToTheLocalPathItCameFrom() {
    Browser browser = new Browser(server);
    Page signedIn =
        browser.signIn("demo", Secret.of(server.demoPassword), "/admin?client=devicelogin-cli");
    assertThat(signedIn.status()).isEqualTo(303);
    assertThat(signedIn.location()).hasValue("/admin?client=devicelogin-cli");
    AuditEvent event =
        server.context().audit().find(server.demoUser().id(), null, null, 10).stream()
            .filter(e -> e.event() == AuditEvent.Type.SIGNED_IN)
            .findFirst()
            .orElseThrow();
    assertThat(event.actor()).isEqualTo("user:demo");
    assertThat(event.sessionRef()).isNotBlank();

    for (String elsewhere :
        List.of("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x")) {
      Page page = new Browser(server).signIn("demo", Secret.of(server.demoPassword), elsewhere);
      assertThat(page.location()).as(elsewhere).hasValue("/account");
    }
  }

  @Test
  void disabledAndLockedAccountsAreToldClearlyAndStaySignedOut() {
    Secret alice = server.createUser("alice", false);
    Secret bob = server.createUser("bob", false);
    setStatus("alice", User.Status.DISABLED);
    setStatus("bob", User.Status.LOCKED);

    Browser browser = new Browser(server);
    Page disabled = browser.signIn("alice", alice);
    assertThat(disabled.status()).isEqualTo(403);
    assertThat(disabled.text()).contains("This account is disabled");
    assertThat(browser.get("/account").status()).isEqualTo(303);

    Page locked = new Browser(server).signIn("bob", bob);
    assertThat(locked.status()).isEqualTo(403);
    assertThat(locked.text()).contains("This account is locked");

    // The right password is needed to learn that: a wrong one gets the usual answer.
    Page guess = new Browser(server).signIn("alice", Secret.of(IssuedSecrets.fresh("guess-")));
    assertThat(guess.status()).isEqualTo(401);
    assertThat(guess.text()).contains("Wrong username or password.").doesNotContain("disabled");
  }

  @Test
  void anAccountDisabledAfterSignInCannotApprove() {
    Secret alice = server.createUser("alice", false);
    Terminal terminal = new Terminal(server);
    Code code = terminal.requestCode("openid");
    Browser browser = new Browser(server);
    Page consent = Flows.toConsent(browser, code.userCode(), "alice", alice);
    setStatus("alice", User.Status.DISABLED);

    Page refused = Flows.decide(browser, consent, "approve");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.text()).contains("This account is disabled");
    assertThat(server.context().devices().findLive(code.bare()).orElseThrow().status())
        .isEqualTo(DeviceAuthorizationRecord.Status.PENDING);
    assertThat(terminal.poll(code).error()).isEqualTo("authorization_pending");
  }

  @Test
  void signingOutEndsTheSession() {
    Browser browser = new Browser(server);
    browser.signIn("demo", Secret.of(server.demoPassword));
    Page account = browser.get("/account");
    Page out = browser.post("/logout", Map.of("csrf", account.csrf()));
    assertThat(out.status()).isEqualTo(200);
    assertThat(out.text()).contains("You are signed out");
    assertThat(out.headers().firstValue("Set-Cookie"))
        .hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
    assertThat(browser.get("/account").status()).isEqualTo(303);
    assertThat(
            server.jdbc().count("SELECT COUNT(*) FROM browser_sessions WHERE user_id IS NOT NULL"))
        .isZero();
  }

  private void setStatus(String username, User.Status status) {
    server
        .context()
        .users()
        .setStatus(server.context().users().findByUsername(username).orElseThrow().id(), status);
  }
}
