package io.devicelogin.e2e.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.cli.CliProcess;
import io.devicelogin.cli.store.TokenStores;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./devicelogin demo} as the README tells a newcomer to run it: a process started through
 * the launcher script; a person approves in Chromium with the printed password; the demo prints the
 * signed-in subject and the server's {@code /userinfo} answer.
 */
@ExtendWith(NoSecretsInOutput.class)
class DemoInBrowserTest {
  private static final Pattern PASSWORD = Pattern.compile("password ([A-Za-z0-9_-]{20,})");
  private static final Pattern COMPLETE =
      Pattern.compile("(http://localhost:\\d+/device\\?user_code=[A-Z]{4}-[A-Z]{4})");
  @AutoClose private final CliProcess cli = new CliProcess();
  @AutoClose private final Chromium chromium = Chromium.start();

  @AfterEach
  void stopAgent() {
    TokenStores.stopAgent(cli.env);
  }

  @Test
  void theDemoRunsTheWholeFlowWithABrowserApproval() throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    ProcessBuilder builder =
        new ProcessBuilder(
                root.resolve("devicelogin").toString(), "demo", "--no-browser", "--store", "memory")
            .directory(root.toFile());
    builder.environment().clear();
    builder.environment().putAll(cli.env);
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    try (CliProcess.Running demo = new CliProcess.Running(builder.start())) {
      String password = null;
      while (password == null) {
        Matcher p = PASSWORD.matcher(demo.nextLine(Duration.ofSeconds(240)));
        if (p.find()) {
          password = IssuedSecrets.register(p.group(1));
        }
      }
      String complete = waitFor(demo, COMPLETE);

      PersonInChromium person = new PersonInChromium(chromium);
      person.followCodeLink(complete.replace("localhost", "127.0.0.1"));
      person.signIn("demo", password);
      person.decide("approve");
      chromium.screenshot("demo-approved");

      CliProcess.Result result = demo.finish(Duration.ofSeconds(120));
      assertThat(result.exit()).as(result.err()).isZero();
      assertThat(result.err()).contains("Logged in as demo");
      assertThat(result.out())
          .contains("Subject:   demo")
          .contains("/userinfo -> HTTP 200")
          .contains("\"preferred_username\":\"demo\"");
    }
  }

  /** Waits for a pattern on the demo's standard error, where the login screen is. */
  private static String waitFor(CliProcess.Running demo, Pattern pattern)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = pattern.matcher(demo.err());
      if (m.find()) {
        return m.group(1);
      }
      Thread.sleep(50); // the polling period of the wait for the screen, not a wait for timing
    }
    throw new AssertionError("not on the screen: " + pattern + "\n" + demo.err());
  }
}
