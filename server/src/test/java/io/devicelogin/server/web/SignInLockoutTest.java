package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.testing.StartingGate;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sign-in limits hold against bursts: a browser session and an address are paused after ten
 * failed sign-ins (or thirty of any outcome) in 15 minutes, however many arrive at once; an account
 * is slowed, never locked, after five failures, from however many addresses they come.
 */
@ExtendWith(NoSecretsInOutput.class)
class SignInLockoutTest {
  private static final int BURST = 16;
  @AutoClose private TestServer server;
  private final Secret wrong = Secret.of(IssuedSecrets.fresh("wrong-pw-"));

  @Test
  void aBurstOfParallelWrongPasswordsOnOneSessionCannotGetPastTheLimit() {
    server = TestServer.start();
    Browser browser = new Browser(server);
    String csrf = browser.get("/login").csrf();
    Map<String, String> form =
        Map.of(
            "csrf",
            csrf,
            "next",
            "",
            "username",
            "nobody",
            "password",
            wrong.revealForTransmission());
    List<Integer> statuses;
    try (StartingGate gate = new StartingGate(BURST)) {
      statuses = gate.release(() -> browser.post("/login", form).status());
    }

    assertThat(statuses)
        .as("each attempt is checked against the failures recorded before it")
        .containsOnly(401, 429)
        .filteredOn(s -> s == 401)
        .hasSize(Defaults.SIGN_IN_FAILURES_ALLOWED);
    assertThat(events(AuditEvent.Type.SIGN_IN_FAILED)).isEqualTo(Defaults.SIGN_IN_FAILURES_ALLOWED);
    Page right = browser.signIn("demo", Secret.of(server.demoPassword));
    assertThat(right.status()).as("the right password after the burst").isEqualTo(429);
    assertThat(right.text()).contains("Too many failed sign-ins");
  }

  @Test
  void
      aBurstOfWrongPasswordsForOneAccountFromManyAddressesIsSlowedAfterFiveButNeverLocksItsOwnerOut() {
    server = TestServer.start(List.of("--trusted-proxy", "127.0.0.1"));
    List<Integer> statuses;
    try (StartingGate gate = new StartingGate(BURST)) {
      statuses =
          gate.releaseEach(
              runner ->
                  new Browser(server)
                      .from("198.51.100." + (runner + 1))
                      .signIn("demo", wrong)
                      .status());
    }
    assertThat(statuses)
        .containsOnly(401, 429)
        .filteredOn(s -> s == 401)
        .hasSize(Defaults.ACCOUNT_FAILURES_BEFORE_DELAY);

    Browser owner = new Browser(server).from("192.0.2.10");
    Page slowed = owner.signIn("demo", Secret.of(server.demoPassword));
    assertThat(slowed.status()).as("even the right password waits").isEqualTo(429);
    assertThat(slowed.text())
        .contains("Sign-ins to this account are slowed down")
        .contains("Try again after 00:01 UTC (in 1 s)")
        .contains("The account is not locked");
    assertThat(slowed.headers().firstValue("Retry-After")).hasValue("1");

    server.clock.advance(Defaults.ACCOUNT_FIRST_DELAY);
    assertThat(owner.signIn("demo", Secret.of(server.demoPassword)).status()).isEqualTo(303);
  }

  @Test
  void eachWrongPasswordAfterTheFifthDoublesTheAccountsWaitUpToFiveMinutesAndNoFurther() {
    server = TestServer.start(List.of("--trusted-proxy", "127.0.0.1"));
    int address = 1;
    for (int i = 0; i < Defaults.ACCOUNT_FAILURES_BEFORE_DELAY; i++) {
      assertThat(from(address++).signIn("demo", wrong).status()).isEqualTo(401);
    }
    for (long expected : List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 300L)) {
      Page early = from(address++).signIn("demo", wrong);
      assertThat(early.status()).isEqualTo(429);
      assertThat(early.headers().firstValue("Retry-After")).hasValue(Long.toString(expected));
      server.clock.advance(Duration.ofSeconds(expected - 1));
      assertThat(from(address++).signIn("demo", wrong).status())
          .as("a second before the wait of %d s ends", expected)
          .isEqualTo(429);
      server.clock.advance(Duration.ofSeconds(1));
      assertThat(from(address++).signIn("demo", wrong).status())
          .as("once the wait of %d s has passed the password is checked", expected)
          .isEqualTo(401);
    }
    Page capped = from(address++).signIn("demo", Secret.of(server.demoPassword));
    assertThat(capped.headers().firstValue("Retry-After"))
        .hasValue(Long.toString(Defaults.ACCOUNT_LONGEST_DELAY.toSeconds()));
    server.clock.advance(Defaults.ACCOUNT_LONGEST_DELAY);
    assertThat(from(address).signIn("demo", Secret.of(server.demoPassword)).status())
        .as("the owner gets in once the longest wait has passed")
        .isEqualTo(303);
    assertThat(events(AuditEvent.Type.SIGN_IN_FAILED))
        .as("refused attempts are not failures: they check no password")
        .isEqualTo(Defaults.ACCOUNT_FAILURES_BEFORE_DELAY + 10);
  }

  @Test
  void successfulSignInsCountTooSoThatOnePasswordCannotBuyUnlimitedHashes() {
    server = TestServer.start();
    for (int i = 0; i < Defaults.SIGN_INS_ALLOWED; i++) {
      assertThat(new Browser(server).signInAsDemo().status())
          .as("sign-in %d", i + 1)
          .isEqualTo(303);
    }
    Page paused = new Browser(server).signInAsDemo();
    assertThat(paused.status()).isEqualTo(429);
    assertThat(paused.text()).contains("Too many sign-ins");
    assertThat(paused.headers().firstValue("Retry-After")).isPresent();

    server.clock.advance(Defaults.SIGN_IN_WINDOW.plusSeconds(1));
    assertThat(new Browser(server).signInAsDemo().status()).isEqualTo(303);
  }

  private Browser from(int address) {
    return new Browser(server).from("198.51.100." + address);
  }

  private long events(AuditEvent.Type type) {
    return server.context().audit().find(null, null, null, 1000).stream()
        .filter(e -> e.event() == type)
        .count();
  }
}
