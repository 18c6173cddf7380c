package io.devicelogin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.web.Person;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code devicelogin demo} as a real process, without a display: it prints the server, the demo
 * password and the code; a person approves through the pages; it then shows the status and the
 * server's /userinfo answer, obtained by a child process that had the token in its environment.
 */
@ExtendWith(NoSecretsInOutput.class)
class DemoCommandTest {
  private static final Pattern URL = Pattern.compile("listening on (http://localhost:\\d+)");
  private static final Pattern PASSWORD = Pattern.compile("password ([A-Za-z0-9_-]{20,})");
  private static final Pattern CODE = Pattern.compile("Code  ([A-Z]{4}-[A-Z]{4})");
  private final CliProcess cli = new CliProcess();

  @AfterEach
  void cleanUp() {
    cli.close();
  }

  @Test
  void theDemoLogsInShowsTheStatusAndCallsUserinfo() throws Exception {
    try (CliProcess.Running demo = cli.start("demo", "--no-browser", "--store", "memory")) {
      String url = null;
      String password = null;
      while (url == null || password == null) {
        String line = demo.nextLine(Duration.ofSeconds(60));
        Matcher u = URL.matcher(line);
        Matcher p = PASSWORD.matcher(line);
        if (u.find()) {
          url = u.group(1);
        }
        if (p.find()) {
          password = IssuedSecrets.register(p.group(1));
        }
      }
      String code = waitForCode(demo);
      Person.at(URI.create(url.replace("localhost", "127.0.0.1")), "demo", Secret.of(password))
          .approve(code);

      CliProcess.Result result = demo.finish(Duration.ofSeconds(90));
      assertThat(result.exit()).as(result.err()).isZero();
      assertThat(result.err()).contains("Logged in as demo");
      assertThat(result.out())
          .contains("Subject:   demo")
          .contains("/userinfo -> HTTP 200")
          .contains("\"preferred_username\":\"demo\"")
          .contains("Done.");
    }
  }

  /** The code is on standard error, with the rest of the login screen. */
  private static String waitForCode(CliProcess.Running demo) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = CODE.matcher(demo.err());
      if (m.find()) {
        return m.group(1);
      }
      Thread.sleep(50); // the polling period of the wait for the code, not a wait for timing
    }
    throw new AssertionError("no code on the screen: " + demo.err());
  }
}
