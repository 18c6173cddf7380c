package io.devicelogin.bench.target;

import io.devicelogin.client.Secret;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.testing.SharedPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The devicelogin server's jar in its own process, as a person starts it ({@code java -jar
 * devicelogin-server.jar}), with the demo user for approvals, a public client and a resource server
 * for the load, and H2 (the default) or a PostgreSQL server of its own.
 */
public final class DeviceLoginTarget extends ProcessTarget {
  /** The public client the load uses. */
  public static final String CLIENT_ID = ProcessTarget.CLIENT_ID;

  /** The resource server that introspects. */
  public static final String RESOURCE_SERVER = "bench-api";

  /** Its secret (a benchmark's, not a real one). */
  public static final String RESOURCE_SERVER_SECRET = "bench-api-secret-for-load-tests-only";

  /** The demo user's password in benchmark runs. */
  public static final String DEMO_PASSWORD = "bench-demo-password";

  /** Where the server keeps its state. */
  public enum Database {
    H2,
    POSTGRESQL
  }

  private static final Pattern LISTENING = Pattern.compile("listening on (http://[^ ]+)");

  private final URI base;

  /** The PostgreSQL server of its own, or null on H2. */
  private final EmbeddedPostgres postgres;

  private DeviceLoginTarget(
      Database database, Started started, URI base, EmbeddedPostgres postgres) {
    super("devicelogin (" + (database == Database.H2 ? "H2" : "PostgreSQL") + ")", started);
    this.base = base;
    this.postgres = postgres;
  }

  /**
   * Starts the server from {@code jar} with its state under {@code workDir} (emptied first).
   *
   * @param jvmOptions options for its JVM, such as {@code -Xmx256m}; none for the defaults
   */
  public static DeviceLoginTarget start(
      Path jar, Path workDir, Database database, List<String> jvmOptions) {
    try {
      PeerProcess.deleteTree(workDir);
      Files.createDirectories(workDir);
      Path config = workDir.resolve("bench-clients.json");
      Files.writeString(
          config,
          """
          {
            "clients": [
              { "client_id": "%s", "name": "Benchmark CLI", "scopes": ["openid", "offline_access"] },
              { "client_id": "%s", "name": "Benchmark API", "client_secret_sha256": "%s", "introspection": true }
            ],
            "rate_limits": { "device_authorizations_per_ip_per_minute": 100000000,
                             "device_authorizations_per_client_per_minute": 100000000 }
          }
          """
              .formatted(
                  CLIENT_ID, RESOURCE_SERVER, Hashing.sha256(Secret.of(RESOURCE_SERVER_SECRET))));
      EmbeddedPostgres postgres = null;
      List<String> command = command(jar, jvmOptions, 0, workDir.resolve("data"), config);
      ProcessBuilder builder = new ProcessBuilder(command);
      if (database == Database.POSTGRESQL) {
        postgres = SharedPostgres.startDedicated();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
            Statement s = c.createStatement()) {
          s.execute("CREATE DATABASE devicelogin");
        }
        command.addAll(List.of("--db-url", postgres.getJdbcUrl("postgres", "devicelogin")));
        builder.environment().put("DEVICELOGIN_DB_USER", "postgres");
        builder.environment().put("DEVICELOGIN_DB_PASSWORD", "postgres");
      }
      builder.environment().put("DEVICELOGIN_DEMO_PASSWORD", DEMO_PASSWORD);
      Path stdout = workDir.resolve("server.out");
      Path log = workDir.resolve("server.log");
      builder.redirectOutput(stdout.toFile()).redirectError(log.toFile());
      long started = System.nanoTime();
      Process process = builder.start();
      URI base = awaitReady(process, stdout, log);
      Duration startup = Duration.ofNanos(System.nanoTime() - started);
      return new DeviceLoginTarget(
          database,
          new Started(
              process,
              Duration.ofSeconds(20),
              base.resolve("/oauth2/device_authorization"),
              base.resolve("/oauth2/token"),
              startup),
          base,
          postgres);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(
          "cannot create the benchmark's PostgreSQL database: " + e.getMessage(), e);
    }
  }

  /**
   * The command that starts the server's jar with the demo user, {@code config}'s clients and
   * limits, and state in {@code dataDir}, on {@code port} (0 for any).
   */
  public static List<String> command(
      Path jar, List<String> jvmOptions, int port, Path dataDir, Path config) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "--port",
            Integer.toString(port),
            "--data-dir",
            dataDir.toString(),
            "--config",
            config.toString(),
            // The load comes from one address, over 64 connections and more: the cap on
            // connections per address is for strangers, not for the harness.
            "--connections-per-address",
            "1024",
            "--demo"));
    return command;
  }

  /** Waits for the line with the URL, then for the first 200 of {@code /healthz}. */
  private static URI awaitReady(Process process, Path stdout, Path log) throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    URI base = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the server exited with " + process.exitValue() + ": " + PeerProcess.tail(log, 20));
      }
      if (base == null) {
        Matcher m = LISTENING.matcher(Files.exists(stdout) ? Files.readString(stdout) : "");
        if (m.find()) {
          base = URI.create(m.group(1));
        }
      }
      if (base != null) {
        try {
          HttpResponse<Void> r =
              http.send(
                  HttpRequest.newBuilder(base.resolve("/healthz"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            return base;
          }
        } catch (IOException e) {
          // not listening yet
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "the server was not ready within 60 s: " + PeerProcess.tail(log, 20));
  }

  /** The server's base URL, such as {@code http://127.0.0.1:41234}. */
  public URI base() {
    return base;
  }

  public URI introspectionEndpoint() {
    return base.resolve("/oauth2/introspect");
  }

  public URI revocationEndpoint() {
    return base.resolve("/oauth2/revoke");
  }

  /** The scopes of the load's public client, offline_access too, so that it gets refresh tokens. */
  @Override
  public String deviceAuthorizationForm() {
    return "client_id=" + CLIENT_ID + "&scope=openid%20offline_access";
  }

  @Override
  public void close() {
    super.close();
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException e) {
        // the run is over; a PostgreSQL that will not stop is left to the OS
      }
    }
  }
}
