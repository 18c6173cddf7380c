package io.devicelogin.server.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/** The database failed. The message names the statement, never a bound value. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String what, SQLException cause) {
    super(
        "database failure (SQLState "
            + cause.getSQLState()
            + ") in: "
            + (what.length() > 80 ? what.substring(0, 80) + "…" : what),
        cause);
  }

  /**
   * Whether the statement broke a unique constraint (SQLState 23505 on both H2 and PostgreSQL):
   * another writer stored the same value first, which a caller may expect and answer.
   */
  public boolean isUniqueViolation() {
    return getCause() instanceof SQLException
        && "23505".equals(((SQLException) getCause()).getSQLState());
  }

  /**
   * Whether the database could not be reached or went away: a connection failure (SQLState class
   * 08), PostgreSQL shutting down or not yet accepting connections (57P01 to 57P03), or the pool's
   * wait for a connection running out. The same request may succeed once it is back.
   */
  public boolean isUnavailable() {
    if (!(getCause() instanceof SQLException cause)) {
      return false;
    }
    String state = cause.getSQLState();
    return cause instanceof SQLTransientConnectionException
        || cause instanceof SQLNonTransientConnectionException
        || (state != null && (state.startsWith("08") || state.startsWith("57P")));
  }
}
