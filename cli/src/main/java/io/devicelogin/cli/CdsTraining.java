package io.devicelogin.cli;

import io.devicelogin.cli.profile.Profile;
import io.devicelogin.cli.profile.Profiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The training run of the class-data archive ({@code cli/target/devicelogin.jsa}) that the launcher
 * uses: the build runs this with {@code -XX:ArchiveClassesAtExit} right after packaging the jar (see
 * {@code cli/pom.xml}). It runs the commands whose start-up matters, in this JVM, against a home of
 * its own under {@code DIR} (never the user's) and an issuer that refuses connections, so it needs
 * no server, no keyring and no agent:
 *
 * <ul>
 *   <li>{@code status} and {@code status --json} with a profile that uses the in-memory agent (none
 *       runs, so: not logged in);
 *   <li>{@code token} (not logged in, for the same reason);
 *   <li>{@code login} against the refusing issuer: the HTTP client, TLS defaults, logging and
 *       discovery, up to the connection failure;
 *   <li>{@code --help}.
 * </ul>
 *
 * Every command is expected to fail in its ordinary way; what counts is the classes they load.
 *
 * <p>Usage: {@code java -cp devicelogin.jar io.devicelogin.cli.CdsTraining DIR}
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: CdsTraining DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[0]).toAbsolutePath();
    Path runtime = dir.resolve("run");
    Files.createDirectories(dir);
    if (!Files.isDirectory(runtime)) {
      Files.createDirectory(runtime, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Map<String, String> vars = Map.of(
        "HOME", dir.resolve("home").toString(),
        "XDG_CONFIG_HOME", dir.resolve("config").toString(),
        "XDG_RUNTIME_DIR", runtime.toString(),
        "PATH", "",
        "LANG", "C.UTF-8");
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    // Logging goes to System.err: keep a connection failure's warning out of the build's output.
    System.setErr(discard);
    Environment env = new Environment(vars, discard, discard, Clock.systemUTC(), false, false);

    String issuer = "http://127.0.0.1:" + refusingPort();
    Profiles.open(vars).put(new Profile("default", Optional.of(issuer), Optional.empty(), "devicelogin-cli",
        List.of(), Optional.of("memory")));
    for (List<String> command : List.of(
        List.of("status"),
        List.of("status", "--json"),
        List.of("token"),
        List.of("login", "--issuer", issuer, "--no-browser", "--store", "memory", "--timeout", "10s"),
        List.of("--help"))) {
      Main.run(command.toArray(String[]::new), env);
    }
    System.exit(0);
  }

  /** A loopback port that nothing listens on: bound for a moment, then released. */
  private static int refusingPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
