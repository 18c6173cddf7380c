package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A session unused for the idle timeout ends before its lifetime; each use moves it on. */
@ExtendWith(NoSecretsInOutput.class)
class SessionIdleTimeoutTest {
  private static final Duration IDLE = Defaults.BROWSER_SESSION_IDLE_TIMEOUT;

  @AutoClose private TestServer server;

  private Instant lastSeen(Browser browser) {
    Jdbc jdbc = server.jdbc();
    return jdbc.queryOne(
            "SELECT last_seen_at FROM browser_sessions WHERE id_hash = ?",
            r -> Jdbc.instant(r, 1),
            Hashing.sha256(browser.sessionCookie().orElseThrow()))
        .orElseThrow();
  }

  @Test
  void aSignedInSessionUnusedForTheIdleTimeoutEndsThoughItsLifetimeHasNot() {
    server = TestServer.start();
    Browser browser = new Browser(server);
    browser.signInAsDemo();
    // Used just within the timeout, again and again: past the timeout in all, still signed in.
    for (int i = 0; i < 3; i++) {
      server.clock.advance(IDLE.minusMinutes(1));
      assertThat(browser.get("/account").status()).isEqualTo(200);
    }
    server.clock.advance(IDLE);
    Page ended = browser.get("/account");
    assertThat(ended.status()).isEqualTo(303);
    assertThat(ended.location()).hasValueSatisfying(l -> assertThat(l).startsWith("/login"));
    assertThat(server.context().sessions().sweepExpired()).isEqualTo(1);
  }

  @Test
  void theLastUseIsWrittenAtMostOnceAMinute() {
    server = TestServer.start();
    Browser browser = new Browser(server);
    browser.signInAsDemo();
    Instant signedIn = lastSeen(browser);
    server.clock.advance(Duration.ofSeconds(30));
    browser.shown("/account");
    assertThat(lastSeen(browser)).isEqualTo(signedIn);
    server.clock.advance(Duration.ofSeconds(30));
    browser.shown("/account");
    assertThat(lastSeen(browser)).isEqualTo(signedIn.plusSeconds(60));
  }

  @Test
  void theIdleTimeoutAndTheLifetimeComeFromTheConfigurationFile(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("devicelogin.json");
    Files.writeString(config, "{\"sessions\": {\"lifetime\": \"1h\", \"idle_timeout\": \"5m\"}}");
    server = TestServer.start(List.of("--config", config.toString()));
    Browser browser = new Browser(server);
    Page signedIn = browser.signInAsDemo();
    assertThat(signedIn.headers().firstValue("Set-Cookie").orElseThrow())
        .contains("; Max-Age=3600");
    server.clock.advance(Duration.ofMinutes(4));
    assertThat(browser.get("/account").status()).isEqualTo(200);
    server.clock.advance(Duration.ofMinutes(5));
    assertThat(browser.get("/account").status()).isEqualTo(303);
  }
}
