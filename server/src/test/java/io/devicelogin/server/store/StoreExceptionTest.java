package io.devicelogin.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which database failures mean "the database is away, try again" rather than a fault. */
class StoreExceptionTest {
  @ParameterizedTest(name = "SQLState {0}: unavailable = {1}")
  @CsvSource({
    "08001, true", // cannot connect
    "08006, true", // the connection failed
    "57P01, true", // PostgreSQL shutting down (administrator command)
    "57P03, true", // PostgreSQL starting, not yet accepting connections
    "23505, false", // a unique constraint: the caller's business
    "42P01, false", // no such table: a fault, not an outage
  })
  void anOutageIsToldFromAFaultBySqlState(String state, boolean unavailable) {
    StoreException e = new StoreException("SELECT 1", new SQLException("failed", state));
    assertThat(e.isUnavailable()).isEqualTo(unavailable);
  }

  @Test
  void thePoolsWaitForAConnectionRunningOutIsAnOutage() {
    StoreException e =
        new StoreException(
            "SELECT 1", new SQLTransientConnectionException("no connection in time"));
    assertThat(e.isUnavailable()).isTrue();
  }
}
