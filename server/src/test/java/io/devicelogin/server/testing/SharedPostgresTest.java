package io.devicelogin.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.ServerConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared PostgreSQL of the tests: a real server (as root too), whose databases belong to an
 * application role that must sign in with its password, as in production.
 */
@ExtendWith(NoSecretsInOutput.class)
class SharedPostgresTest {
  @TempDir Path dataDir;

  @Test
  void eachDatabaseBelongsToTheApplicationRoleOnARealPostgreSql() throws Exception {
    SharedPostgres.TestDatabase db = SharedPostgres.get().createDatabase();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT current_user, current_database(), version(),"
                    + " (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database())")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(db.user());
      assertThat(rs.getString(2)).isEqualTo(db.name());
      assertThat(rs.getString(3)).startsWith("PostgreSQL 17.");
      assertThat(rs.getString(4)).isEqualTo(db.user());
    } finally {
      SharedPostgres.get().dropDatabase(db.name());
    }
  }

  @Test
  void theServerCannotSignInToPostgreSqlWithoutTheRightPassword() {
    SharedPostgres.TestDatabase db = SharedPostgres.get().createDatabase();
    try {
      ServerConfig config =
          ServerConfig.parse(
              List.of("--port", "0", "--data-dir", dataDir.toString(), "--db-url", db.url()),
              Map.of(
                  "DEVICELOGIN_DB_USER",
                  db.user(),
                  "DEVICELOGIN_DB_PASSWORD",
                  IssuedSecrets.fresh("wrong-")));
      assertThatThrownBy(() -> TestServer.startAsConfigured(config))
          .hasStackTraceContaining("password authentication failed");
    } finally {
      SharedPostgres.get().dropDatabase(db.name());
    }
  }
}
