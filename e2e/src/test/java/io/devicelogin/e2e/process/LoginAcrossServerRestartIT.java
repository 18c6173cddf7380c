package io.devicelogin.e2e.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devicelogin.cli.CliProcess;
import io.devicelogin.cli.store.TokenStores;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.testing.ServerProcess;
import io.devicelogin.server.testing.TestClients;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code devicelogin login}, the shipped jar as a person runs it (not on a terminal, so plain
 * lines), waits on a server process that is killed with SIGKILL and started again on the same port
 * and data while it polls. It backs off while the server is unreachable, says so in one calm line,
 * and completes once the person approves on the restarted server.
 */
@ExtendWith(NoSecretsInOutput.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LoginAcrossServerRestartIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private ServerProcess server;
  @AutoClose private CliProcess cli;

  @AfterEach
  void stopEverything() {
    if (cli != null) {
      TokenStores.stopAgent(cli.env);
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aLoginWaitingWhileTheServerIsKilledAndRestartedCompletesOnceApproved() throws Exception {
    server = ServerProcess.named("login-restart").start();
    cli = new CliProcess();
    // fast-cli's codes say interval 1 s: the backoff doubles from there (2 s, 4 s, 8 s…).
    try (CliProcess.Running login =
        cli.startShipped(
            "login",
            "--issuer",
            server.issuer(),
            "--client-id",
            TestClients.FAST_CLI,
            "--scope",
            "openid profile offline_access",
            "--json",
            "--no-browser",
            "--store",
            "memory")) {
      JsonNode code = JSON.readTree(login.nextLine(WAIT));
      assertThat(code.path("event").asText()).as(code.toString()).isEqualTo("code");
      assertThat(code.path("interval").asInt()).isEqualTo(1);
      String userCode = code.path("user_code").asText();

      server.kill();
      // Two lines: the first failed poll and the one after a doubled wait. Only then does the
      // server
      // come back, so the command has seen it unreachable more than once.
      String duringOutage = login.awaitErr(err -> outageLines(err).size() >= 2, WAIT);
      server.start();
      // The first poll that gets through is answered authorization_pending: the restarted server
      // still knows the code. Only then does the person approve.
      login.awaitErr(err -> err.contains("The server answers again"), WAIT);
      server.approve(userCode);

      JsonNode approved = JSON.readTree(login.nextLine(WAIT));
      CliProcess.Result result = login.finish(WAIT);
      System.out.println("What the command wrote on standard error:\n" + result.err());
      assertThat(result.exit()).as(result.err()).isZero();
      assertThat(approved.path("event").asText()).as(approved.toString()).isEqualTo("approved");
      assertThat(approved.path("subject").asText()).isEqualTo("demo");

      List<String> outage = outageLines(duringOutage);
      assertThat(outage.get(0))
          .as("the first line of the outage")
          .isEqualTo("  Cannot reach the server, retrying in 2 s.");
      assertThat(outage.get(1))
          .as("the second, after the wait doubled")
          .isEqualTo("  Cannot reach the server, retrying in 4 s.");
      assertThat(result.err())
          .as("what the person reads")
          .contains("  The server answers again; still waiting for approval.\n")
          .contains("Logged in as demo to " + server.issuer())
          .doesNotContain("Exception")
          .doesNotContain("\tat ")
          .doesNotContain("WARN")
          .doesNotContain("ERROR");
    }

    CliProcess.Result status = cli.run("status");
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.both()).contains("demo").contains(server.issuer());
    for (String secret : IssuedSecrets.all()) {
      assertThat(cli.filesWritten()).noneMatch(file -> file.contains(secret));
    }
    server.assertNoSecretsInOutput();
  }

  /** The lines that tell the person the server cannot be reached. */
  private static List<String> outageLines(String err) {
    return err.lines().filter(line -> line.contains("reach the server")).toList();
  }
}
