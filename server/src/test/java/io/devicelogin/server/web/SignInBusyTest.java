package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.identity.HashingSlots;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * While every password-hashing slot is taken, a sign-in is not queued without end: it is answered
 * 503 with {@code Retry-After} on a readable page, checks no password and counts as no failure.
 */
@ExtendWith(NoSecretsInOutput.class)
class SignInBusyTest {
  @AutoClose private final TestServer server = TestServer.start();

  @Test
  void whileEveryHashingSlotIsTakenASignInIsAnswered503WithRetryAfterOnAReadablePage()
      throws Exception {
    HashingSlots slots = server.context().users().hashing();
    CountDownLatch taken = new CountDownLatch(slots.size());
    CountDownLatch free = new CountDownLatch(1);
    ExecutorService holders = Executors.newFixedThreadPool(slots.size());
    List<Future<Boolean>> held = new ArrayList<>();
    try {
      for (int i = 0; i < slots.size(); i++) {
        held.add(
            holders.submit(
                () ->
                    slots.run(
                        () -> {
                          taken.countDown();
                          return await(free);
                        })));
      }
      assertThat(taken.await(30, TimeUnit.SECONDS)).as("every slot taken").isTrue();

      Browser browser = new Browser(server);
      Page busy = browser.signIn("demo", Secret.of(server.demoPassword));
      assertThat(busy.status()).isEqualTo(503);
      assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(busy.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
      assertThat(busy.text())
          .contains("The server is busy")
          .contains("Try again in 1 s")
          .doesNotContain("Exception")
          .doesNotContain("Something went wrong");
      assertThat(browser.get("/account").status()).as("not signed in").isEqualTo(303);
      assertThat(failures()).as("no password was checked, so nothing failed").isZero();
      assertThat(server.context().metrics().scrape())
          .containsPattern(
              "devicelogin_rate_limited\\w*\\{[^}]*limit=\"password_hashing\"[^}]*\\} 1\\.0");
    } finally {
      free.countDown();
      for (Future<Boolean> h : held) {
        h.get(30, TimeUnit.SECONDS);
      }
      holders.shutdownNow();
    }
    assertThat(new Browser(server).signIn("demo", Secret.of(server.demoPassword)).status())
        .as("once a slot is free")
        .isEqualTo(303);
  }

  private long failures() {
    return server.context().audit().find(null, null, null, 100).stream()
        .filter(e -> e.event() == AuditEvent.Type.SIGN_IN_FAILED)
        .count();
  }

  private static boolean await(CountDownLatch latch) {
    try {
      return latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
