package io.devicelogin.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Small helpers over plain JDBC, so that repositories read as SQL. */
public final class Jdbc {
  private final DataSource dataSource;

  public Jdbc(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Maps one row. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  /** Runs work in one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  public int update(String sql, Object... args) {
    try (Connection c = dataSource.getConnection()) {
      return update(c, sql, args);
    } catch (SQLException e) {
      throw new StoreException(sql, e);
    }
  }

  public static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      return s.executeUpdate();
    }
  }

  /**
   * Runs an {@code UPDATE} and reads, for the row it changed, the values of {@code columns} after
   * the change: what {@code UPDATE … RETURNING} says on PostgreSQL, asked for through JDBC's
   * generated keys, which both drivers answer for an {@code UPDATE} (H2 has no {@code RETURNING}).
   * Empty when no row matched; the first row when several did.
   */
  public static <T> Optional<T> updateReturning(
      Connection c, String sql, String[] columns, RowMapper<T> mapper, Object... args)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql, columns)) {
      bind(s, args);
      if (s.executeUpdate() == 0) {
        return Optional.empty();
      }
      try (ResultSet rows = s.getGeneratedKeys()) {
        return rows.next() ? Optional.of(mapper.map(rows)) : Optional.empty();
      }
    }
  }

  /**
   * {@link #updateReturning(Connection, String, String[], RowMapper, Object...)}, committed by
   * itself.
   */
  public <T> Optional<T> updateReturning(
      String sql, String[] columns, RowMapper<T> mapper, Object... args) {
    try (Connection c = dataSource.getConnection()) {
      return updateReturning(c, sql, columns, mapper, args);
    } catch (SQLException e) {
      throw new StoreException(sql, e);
    }
  }

  public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
    try (Connection c = dataSource.getConnection()) {
      return query(c, sql, mapper, args);
    } catch (SQLException e) {
      throw new StoreException(sql, e);
    }
  }

  public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... args)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      try (ResultSet rows = s.executeQuery()) {
        List<T> result = new ArrayList<>();
        while (rows.next()) {
          result.add(mapper.map(rows));
        }
        return result;
      }
    }
  }

  public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) {
    List<T> rows = query(sql, mapper, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  public long count(String sql, Object... args) {
    return queryOne(sql, r -> r.getLong(1), args).orElse(0L);
  }

  /** Runs {@code work} in a transaction: committed if it returns, rolled back if it throws. */
  public <T> T transaction(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw new StoreException("transaction", e);
    }
  }

  private static void bind(PreparedStatement s, Object[] args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof Instant) {
        // Both databases keep microseconds, and would round the rest (possibly up, past the instant
        // the caller meant): truncate, so that what is stored is never later than what was bound.
        Instant micros = ((Instant) a).truncatedTo(ChronoUnit.MICROS);
        s.setObject(i + 1, OffsetDateTime.ofInstant(micros, ZoneOffset.UTC));
      } else if (a == null) {
        // Untyped, so that PostgreSQL takes the column's type: a VARCHAR null in a timestamp or
        // boolean column is an error there (H2 converts it).
        s.setNull(i + 1, Types.NULL);
      } else {
        s.setObject(i + 1, a);
      }
    }
  }

  /** Reads a timestamp column as an instant; null stays null. */
  public static Instant instant(ResultSet row, String column) throws SQLException {
    return instant(row.getObject(column, OffsetDateTime.class), () -> row.getTimestamp(column));
  }

  /** The same, by column position (1-based): cheaper on hot paths than a lookup by name. */
  public static Instant instant(ResultSet row, int column) throws SQLException {
    return instant(row.getObject(column, OffsetDateTime.class), () -> row.getTimestamp(column));
  }

  /** A column read as a timestamp with its offset or, where a driver gives none, as a plain one. */
  private static Instant instant(OffsetDateTime value, TimestampColumn plain) throws SQLException {
    if (value != null) {
      return value.toInstant();
    }
    Timestamp ts = plain.read();
    return ts == null ? null : ts.toInstant();
  }

  @FunctionalInterface
  private interface TimestampColumn {
    Timestamp read() throws SQLException;
  }
}
