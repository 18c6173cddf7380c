package io.devicelogin.server.testing;

import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.ManualClock;
import io.devicelogin.server.DeviceLoginServer;
import io.devicelogin.server.ServerConfig;
import io.devicelogin.server.ServerContext;
import io.devicelogin.server.identity.User;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real server on a free loopback port, on a fresh H2 database in a temporary directory, with the
 * demo client and user, and a {@link ManualClock} that tests move. Every password it makes is
 * registered with {@link IssuedSecrets}.
 */
public final class TestServer implements AutoCloseable {
  public final ManualClock clock = ManualClock.atEpochOf2026();
  public final String demoPassword = IssuedSecrets.fresh("demo-pw-");
  public final DeviceLoginServer server;
  public final Path dataDir;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  private TestServer(List<String> extraArgs, Map<String, String> env) {
    try {
      dataDir = Files.createTempDirectory("devicelogin-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> args = new ArrayList<>(List.of("--port", "0", "--data-dir", dataDir.toString(), "--demo"));
    args.addAll(extraArgs);
    Map<String, String> environment = new java.util.HashMap<>(env);
    environment.putIfAbsent("DEVICELOGIN_DEMO_PASSWORD", demoPassword);
    server = DeviceLoginServer.start(ServerConfig.parse(args, environment), clock, new SecureRandom(),
        new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  /** A server with the demo client and user. */
  public static TestServer start() {
    return new TestServer(List.of(), Map.of());
  }

  /** A server with more command-line options (for example {@code --config FILE}). */
  public static TestServer start(List<String> extraArgs) {
    return new TestServer(extraArgs, Map.of());
  }

  public ServerContext context() {
    return server.context();
  }

  public String issuer() {
    return server.issuer();
  }

  /** {@code http://127.0.0.1:PORT/path}: the loopback address, as a browser on this host would use. */
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  public User demoUser() {
    return context().users().findByUsername("demo").orElseThrow();
  }

  /** Creates a user with a fresh, registered password; returns the password. */
  public Secret createUser(String username, boolean admin) {
    Secret password = Secret.of(IssuedSecrets.fresh("pw-"));
    context().users().create(username, username, username + "@example.com", password, admin);
    return password;
  }

  /** What the server printed on start. */
  public String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.close();
  }
}
