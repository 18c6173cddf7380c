package io.devicelogin.cli.startup;

import com.fasterxml.jackson.databind.node.TextNode;
import io.devicelogin.cli.profile.Profile;
import io.devicelogin.cli.profile.Profiles;
import io.devicelogin.cli.store.MemoryAgentStore;
import io.devicelogin.cli.store.TokenStore;
import io.devicelogin.cli.store.TokenStores;
import io.devicelogin.client.Secret;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.TokenType;
import io.devicelogin.client.wire.Scope;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The training run of the class-data archive ({@code cli/target/devicelogin.jsa}) that the launcher
 * uses: the build runs it with {@code -XX:ArchiveClassesAtExit} right after packaging the jar (see
 * {@code cli/pom.xml}; {@code io.devicelogin.cli.CdsTrainingMain} is its entry, handing over the
 * commands as {@code Main.run} runs them). It runs the commands whose start-up matters, in this
 * JVM, as a logged-in person would, against a home of its own under {@code DIR} (never the user's):
 *
 * <ul>
 *   <li>{@code --help}, while made-up tokens are saved in an in-memory agent (a real one, started
 *       as the command starts it, with a short idle timeout, and stopped at the end);
 *   <li>{@code status} and {@code status --json} read them;
 *   <li>{@code token} reads them and asks the issuer's userinfo endpoint about them, which it
 *       cannot reach (the issuer is a loopback port that refuses connections): the HTTP client, TLS
 *       defaults and logging are loaded all the same, and the command prints the held token, as it
 *       does when a server cannot answer.
 * </ul>
 *
 * <p>It needs no server and no keyring. {@code login} is left out on purpose: it waits for a person
 * anyway, and every class in the archive costs each start a little to map.
 *
 * <p>Saves: the JVM maps the archived classes instead of loading, parsing and verifying them, a
 * third of the wall time of {@code devicelogin status} and {@code token}: the rows "launcher
 * without the archive" against the plain rows of bench's {@code CliStartup} (bench/RESULTS.md,
 * "Command start-up": 184 against 272 ms for {@code status}).
 */
public final class CdsTraining {
  private static final String PROFILE = "default";

  private CdsTraining() {}

  /** How the training runs one command line: as {@code devicelogin} does, in this JVM. */
  @FunctionalInterface
  public interface Commands {
    /**
     * Runs {@code args} with {@code vars} as its environment, both output streams on {@code out}.
     */
    int run(String[] args, Map<String, String> vars, PrintStream out);
  }

  /** Trains in {@code dir} (created if need be) and exits the JVM, which writes the archive. */
  public static void run(Path dir, Commands commands) throws IOException {
    Path runtime = dir.resolve("run");
    Files.createDirectories(dir);
    if (!Files.isDirectory(runtime)) {
      Files.createDirectory(
          runtime,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Map<String, String> vars =
        Map.of(
            "HOME",
            dir.resolve("home").toString(),
            "XDG_CONFIG_HOME",
            dir.resolve("config").toString(),
            "XDG_RUNTIME_DIR",
            runtime.toString(),
            MemoryAgentStore.IDLE_ENV,
            "2m",
            "PATH",
            "",
            "LANG",
            "C.UTF-8");
    PrintStream discard =
        new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    // Logging goes to System.err: keep the connection failure's warning out of the build's output.
    System.setErr(discard);

    String issuer = "http://127.0.0.1:" + refusingPort();
    Profiles.open(vars)
        .put(
            new Profile(
                PROFILE,
                Optional.of(issuer),
                Optional.empty(),
                "devicelogin-cli",
                List.of("openid", "offline_access"),
                Optional.of(TokenStores.MEMORY)));
    try {
      // Starting the agent is mostly waiting for its JVM; --help runs meanwhile.
      Thread saving =
          new Thread(
              () -> MemoryAgentStore.fromEnvironment(vars).save(PROFILE, madeUpTokens()),
              "cds-training-agent");
      saving.start();
      commands.run(new String[] {"--help"}, vars, discard);
      saving.join();
      for (List<String> command :
          List.of(List.of("status"), List.of("status", "--json"), List.of("token"))) {
        commands.run(command.toArray(String[]::new), vars, discard);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      TokenStores.stopAgent(vars);
    }
    System.exit(0);
  }

  private static TokenSet madeUpTokens() {
    Instant now = Instant.now();
    return new TokenSet(
        Secret.of("training-access-token"),
        Secret.of("training-refresh-token"),
        null,
        TokenType.BEARER,
        now,
        now.plus(Duration.ofHours(1)),
        Scope.of("openid", "offline_access"),
        Map.of(TokenStore.SUBJECT, TextNode.valueOf("training")));
  }

  /** A loopback port that nothing listens on: bound for a moment, then released. */
  private static int refusingPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
