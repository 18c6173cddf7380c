package io.devicelogin.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.cli.store.MemoryAgentStore;
import io.devicelogin.cli.store.TestTokens;
import io.devicelogin.cli.store.TokenSetCodec;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.testing.NoSecretsInOutput;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent outlives the command that started it, is alone on its socket, and serves no one else.
 */
@EnabledOnOs(OS.LINUX)
@ExtendWith(NoSecretsInOutput.class)
class AgentIsolationTest {
  /** Connects, sends a ping, and says how far it got; run as another user. */
  private static final String PROBE =
      String.join(
          "\n",
          "import java.net.*; import java.nio.*; import java.nio.channels.*;",
          "public class Probe { public static void main(String[] a) throws Exception {",
          "  boolean connected = false;",
          "  try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {",
          "    c.connect(UnixDomainSocketAddress.of(a[0]));",
          "    connected = true;",
          "    byte[] ping = \"{\\\"op\\\":\\\"ping\\\"}\".getBytes();",
          "    c.write(ByteBuffer.allocate(4 + ping.length).putInt(ping.length).put(ping).flip());",
          "    int n = c.read(ByteBuffer.allocate(4096));",
          "    System.out.println(n < 0 ? \"CONNECTED, NO ANSWER\" : \"ANSWERED\");",
          "  } catch (Exception e) {",
          "    System.out.println(connected ? \"CONNECTED, NO ANSWER\" : \"REFUSED \" + e.getMessage());",
          "  }",
          "}}",
          "");

  @RegisterExtension final Agents agents = new Agents();
  @TempDir Path runtime;

  @Test
  void theAgentOutlivesTheProcessThatStartedIt() throws Exception {
    TokenSet tokens = TestTokens.full();
    Process cli =
        new ProcessBuilder(
                java(),
                "-cp",
                System.getProperty("java.class.path"),
                SaveAndExit.class.getName(),
                runtime.toString(),
                "work")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (OutputStream in = cli.getOutputStream()) {
      in.write(TokenSetCodec.encode(tokens)); // On stdin: never a token in a command line.
    }
    assertThat(cli.waitFor(60, TimeUnit.SECONDS)).as("the CLI finished").isTrue();
    assertThat(cli.exitValue()).isZero();

    MemoryAgentStore store = agents.store(Agents.env(runtime));
    TestTokens.assertSame(store.load("work").orElseThrow(), tokens);
  }

  @Test
  void agentsStartedTogetherLeaveOneServing() throws Exception {
    MemoryAgentStore store = agents.store(Agents.env(runtime));
    List<Process> started = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      started.add(store.launcher().start());
    }
    try {
      long winner = awaitAgent(store);
      for (Process p : started) {
        if (p.pid() != winner) {
          assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("a second agent gives way").isTrue();
          assertThat(p.exitValue()).isEqualTo(Agent.EXIT_OK);
        }
      }
      assertThat(started).extracting(Process::pid).contains(winner);
      assertThat(Agents.agentsServing(store.socket()))
          .extracting(ProcessHandle::pid)
          .containsExactly(winner);
    } finally {
      store.shutdownAgent();
      for (Process p : started) {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  @Test
  void anotherUserCannotReachTheSocket() throws Exception {
    Assumptions.assumeTrue(
        PrivateDirectory.currentUid() == 0, "only root can run a process as another user here");
    // Let other users through the runtime directory itself, so that only devicelogin/ (0700) stands
    // in the way.
    Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwxr-xr-x"));
    MemoryAgentStore store = agents.store(Agents.env(runtime));
    store.save("work", TestTokens.minimal());
    Path dir = store.socket().getParent();

    assertThat(asNobody(store.socket())).startsWith("REFUSED").contains("Permission denied");

    // Even with the modes loosened by hand, the agent checks who is calling (SO_PEERCRED) and says
    // nothing.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(store.socket(), PosixFilePermissions.fromString("rw-rw-rw-"));
    try {
      assertThat(asNobody(store.socket())).isEqualTo("CONNECTED, NO ANSWER");
    } finally {
      Files.setPosixFilePermissions(dir, PrivateDirectory.OWNER_ONLY);
      Files.setPosixFilePermissions(store.socket(), PosixFilePermissions.fromString("rw-------"));
    }
    assertThat(store.isRunning()).isTrue();
  }

  /**
   * Runs a tiny Java client as user nobody (65534) against {@code socket}; its one line of output.
   */
  private static String asNobody(Path socket) throws Exception {
    Path setpriv = Path.of("/usr/bin/setpriv");
    Assumptions.assumeTrue(Files.isExecutable(setpriv), "needs setpriv (util-linux)");
    Path dir = Files.createTempDirectory("devicelogin-probe");
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path source = Files.writeString(dir.resolve("Probe.java"), PROBE);
      Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-r--r--"));
      Process p =
          new ProcessBuilder(
                  setpriv.toString(),
                  "--reuid=65534",
                  "--regid=65534",
                  "--clear-groups",
                  "--",
                  java(),
                  "-XX:-UsePerfData",
                  source.toString(),
                  socket.toString())
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return out.lines().reduce((a, b) -> b).orElse("");
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static long awaitAgent(MemoryAgentStore store) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      var pid = store.agentPid();
      if (pid.isPresent()) {
        return pid.get();
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("no agent answered within 30 s");
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
