package io.devicelogin.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.devicelogin.server.config.Defaults;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The connection pools and the schema. H2 (in PostgreSQL compatibility mode) in a data directory by
 * default; PostgreSQL when several instances share the load, with a second, small pool for the
 * writes that may commit asynchronously ({@link #asynchronousCommits()}). Flyway applies the
 * migrations under {@code db/migration} at start, unless the database has every one of them already
 * ({@link Migrations}).
 */
public final class Database implements AutoCloseable {
  /** Connections of the pool for asynchronous commits, on PostgreSQL, besides the main pool's. */
  public static final int ASYNCHRONOUS_POOL_SIZE = 8;

  private final HikariDataSource dataSource;

  /** On PostgreSQL, a second pool whose sessions commit asynchronously; null on H2. */
  private final HikariDataSource asynchronous;

  private final boolean postgres;

  private Database(String jdbcUrl, String user, String password, int poolSize) {
    this.postgres = jdbcUrl.startsWith("jdbc:postgresql:");
    this.dataSource = pool("devicelogin", jdbcUrl, user, password, poolSize, null);
    HikariDataSource second = null;
    try {
      // A database with every shipped migration applied has nothing for Flyway to do: see
      // Migrations.
      if (!Migrations.current(dataSource, Database.class.getClassLoader())) {
        Flyway.configure()
            .dataSource(dataSource)
            .locations("classpath:" + Migrations.LOCATION)
            .load()
            .migrate();
      }
      if (postgres) {
        second =
            pool(
                "devicelogin-async",
                jdbcUrl,
                user,
                password,
                ASYNCHRONOUS_POOL_SIZE,
                "SET synchronous_commit TO OFF");
      }
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
    this.asynchronous = second;
  }

  private static HikariDataSource pool(
      String name, String jdbcUrl, String user, String password, int size, String initSql) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(size);
    config.setConnectionTimeout(Defaults.DATABASE_CONNECTION_WAIT.toMillis());
    config.setPoolName(name);
    if (initSql != null) {
      config.setConnectionInitSql(initSql);
    }
    return new HikariDataSource(config);
  }

  /**
   * An H2 file database {@code devicelogin} in {@code dataDir}, created if absent.
   *
   * <p>{@code WRITE_DELAY=0}: every commit is written to the file before it returns. H2's default
   * writes committed changes from a background thread up to half a second later, so a server killed
   * in that gap (SIGKILL, the out-of-memory killer) came back without a device code it had issued,
   * an approval the person had seen succeed, or a rotated refresh token, whose client was then
   * locked out. The cost is a write per transaction; a pending poll writes nothing.
   */
  public static Database h2(Path dataDir) {
    Path file = dataDir.toAbsolutePath().resolve("devicelogin");
    return new Database(
        "jdbc:h2:file:"
            + file
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"
            // No devicelogin.trace.db: H2's errors reach the server as exceptions, and the
            // statements it would write there are not for a file anyone else might read.
            + ";TRACE_LEVEL_FILE=0",
        "sa",
        "",
        16);
  }

  /** A private in-memory H2 database, for tests. */
  public static Database h2InMemory(String name) {
    return new Database(
        "jdbc:h2:mem:"
            + name
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "sa",
        "",
        16);
  }

  /** Any JDBC URL: PostgreSQL ({@code jdbc:postgresql://…}) or H2. */
  public static Database jdbc(String url, String user, String password) {
    return new Database(url, user, password, 16);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  /**
   * Connections for writes whose loss in a crash is harmless (when a code was last polled, how many
   * requests a window has accepted), each committed by itself: on PostgreSQL a pool of its own
   * whose sessions have {@code synchronous_commit} off, so that a commit does not wait for the
   * write-ahead log to reach the disk (PostgreSQL's asynchronous commit: a crash may lose the last
   * fraction of a second of such commits, never corrupt or reorder anything), in one round trip.
   * Every other write goes through {@link #dataSource()}, durably. On H2, that same pool.
   */
  public DataSource asynchronousCommits() {
    return asynchronous != null ? asynchronous : dataSource;
  }

  public boolean isPostgres() {
    return postgres;
  }

  @Override
  public void close() {
    try {
      if (asynchronous != null) {
        asynchronous.close();
      }
    } finally {
      dataSource.close();
    }
  }
}
