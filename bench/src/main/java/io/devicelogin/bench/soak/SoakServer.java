package io.devicelogin.bench.soak;

import io.devicelogin.bench.target.DeviceLoginTarget;
import io.devicelogin.bench.target.DeviceLoginTarget.Database;
import io.devicelogin.bench.target.PeerProcess;
import io.devicelogin.bench.target.ProcessMemory;
import io.devicelogin.server.testing.SharedPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server under the soak: the jar in its own process on a port that stays the same across
 * restarts, over a data directory (H2) or a PostgreSQL that outlive it, so that a restart loses
 * nothing a real operator's restart would keep. The PostgreSQL can be stopped and started again
 * over the same directory.
 */
final class SoakServer implements AutoCloseable {
  private final Path jar;
  private final Path work;
  private final Database database;
  private final List<String> jvmOptions;
  private final int port;
  private final Path pgData;
  private int pgPort;
  private EmbeddedPostgres postgres;
  private Process process;

  SoakServer(Path jar, Path work, Database database, List<String> jvmOptions) throws IOException {
    this.jar = jar;
    this.work = work;
    this.database = database;
    this.jvmOptions = List.copyOf(jvmOptions);
    PeerProcess.deleteTree(work);
    Files.createDirectories(work);
    this.port = PeerProcess.freePort();
    this.pgData = database == Database.POSTGRESQL ? Files.createTempDirectory("soak-pg-") : null;
    Files.writeString(
        work.resolve("clients.json"),
        """
        {
          "clients": [
            { "client_id": "%s", "name": "Soak CLI", "scopes": ["openid", "offline_access"],
              "interval": "2s", "device_code_lifetime": "5m", "access_token_lifetime": "10m" }
          ],
          "rate_limits": { "device_authorizations_per_ip_per_minute": 100000,
                           "device_authorizations_per_client_per_minute": 100000 }
        }
        """
            .formatted(SoakFlow.CLIENT_ID));
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + port);
  }

  Path log() {
    return work.resolve("server.log");
  }

  /** Starts the database (once) and the server; returns how long the server took to answer. */
  Duration start() throws IOException {
    if (database == Database.POSTGRESQL && postgres == null) {
      pgPort = pgPort == 0 ? PeerProcess.freePort() : pgPort;
      startDatabase();
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE devicelogin");
      } catch (SQLException e) {
        throw new IOException("cannot create the soak's database: " + e.getMessage(), e);
      }
    }
    List<String> command =
        DeviceLoginTarget.command(
            jar, jvmOptions, port, work.resolve("data"), work.resolve("clients.json"));
    ProcessBuilder builder = new ProcessBuilder(command);
    if (database == Database.POSTGRESQL) {
      command.addAll(List.of("--db-url", "jdbc:postgresql://localhost:" + pgPort + "/devicelogin"));
      builder.environment().put("DEVICELOGIN_DB_USER", "postgres");
      builder.environment().put("DEVICELOGIN_DB_PASSWORD", "postgres");
    }
    builder.environment().put("DEVICELOGIN_DEMO_PASSWORD", DeviceLoginTarget.DEMO_PASSWORD);
    builder
        .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("server.out").toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(log().toFile()));
    long started = System.nanoTime();
    process = builder.start();
    awaitHealthy();
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /**
   * Stops the server, politely (SIGTERM, as a service manager does) or not (SIGKILL, as a crash or
   * the OOM killer does), and starts it again; returns how long nothing answered.
   */
  Duration restart(boolean politely) throws IOException {
    long down = System.nanoTime();
    if (politely) {
      PeerProcess.stop(process, Duration.ofSeconds(30));
    } else {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    start();
    return Duration.ofNanos(System.nanoTime() - down);
  }

  /** Stops PostgreSQL (a fast shutdown: its sessions end), keeping its data directory. */
  void stopDatabase() throws IOException {
    postgres.close();
    postgres = null;
  }

  /** Starts PostgreSQL over the directory it left. */
  void startDatabase() throws IOException {
    postgres = SharedPostgres.startKeeping(pgData, pgPort);
  }

  /** The server process's resident set now, in bytes. */
  long rssBytes() {
    return process == null ? -1 : ProcessMemory.rssBytes(process.pid());
  }

  /** Lines of the server's log at ERROR, over every run of it. */
  long errorLines() {
    try (var lines = Files.lines(log())) {
      return lines.filter(l -> l.contains(" ERROR ")).count();
    } catch (IOException e) {
      return -1;
    }
  }

  private void awaitHealthy() throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the server exited with " + process.exitValue() + ": " + PeerProcess.tail(log(), 20));
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(base().resolve("/healthz"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new IllegalStateException("the server was not healthy within 90 s");
  }

  @Override
  public void close() {
    if (process != null) {
      PeerProcess.stop(process, Duration.ofSeconds(30));
    }
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException e) {
        // the run is over; the OS ends what is left
      }
    }
    if (pgData != null) {
      try {
        PeerProcess.deleteTree(pgData);
      } catch (IOException | RuntimeException e) {
        // a temporary directory left behind
      }
    }
  }
}
