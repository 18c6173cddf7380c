package io.devicelogin.server.store;

import java.sql.SQLException;

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
}
