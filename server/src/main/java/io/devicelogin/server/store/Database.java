package io.devicelogin.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The connection pool and the schema. H2 (in PostgreSQL compatibility mode) in a data directory by
 * default; PostgreSQL when several instances share the load. Flyway applies the migrations under
 * {@code db/migration} at start, unless the database has every one of them already ({@link
 * Migrations}).
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final boolean postgres;

  private Database(String jdbcUrl, String user, String password, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("devicelogin");
    this.dataSource = new HikariDataSource(config);
    this.postgres = jdbcUrl.startsWith("jdbc:postgresql:");
    try {
      // A database with every shipped migration applied has nothing for Flyway to do: see Migrations.
      if (!Migrations.current(dataSource, Database.class.getClassLoader())) {
        Flyway.configure().dataSource(dataSource).locations("classpath:" + Migrations.LOCATION).load().migrate();
      }
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
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
        "jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
        "sa", "", 16);
  }

  /** A private in-memory H2 database, for tests. */
  public static Database h2InMemory(String name) {
    return new Database(
        "jdbc:h2:mem:" + name + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "sa", "", 16);
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

  public boolean isPostgres() {
    return postgres;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
