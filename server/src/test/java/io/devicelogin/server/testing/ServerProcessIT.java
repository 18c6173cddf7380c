package io.devicelogin.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.testing.OAuthCalls.Tokens;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fixture itself, and what it relies on: a server process is ready when {@code /healthz} first
 * answers 200, and a SIGTERM stops it cleanly.
 */
@ExtendWith(NoSecretsInOutput.class)
class ServerProcessIT {
  /**
   * Ready means ready for a person too: the demo user can sign in the moment {@code /healthz} first
   * answers. PostgreSQL, where a start is slowest, leaves the widest gap for a server that serves
   * before it has finished starting.
   */
  @Test
  void theDemoUserCanSignInTheMomentHealthzFirstAnswersAndSigtermStopsTheServerCleanly()
      throws Exception {
    SharedPostgres.TestDatabase database = SharedPostgres.get().createDatabase();
    try (ServerProcess server = ServerProcess.named("ready").database(database).start()) {
      // Asked of the database at once, not through a sign-in, whose first requests give a server
      // still busy hashing the demo password the time to finish.
      try (Connection c =
              DriverManager.getConnection(database.url(), database.user(), database.password());
          PreparedStatement s =
              c.prepareStatement("SELECT COUNT(*) FROM users WHERE username = 'demo'");
          ResultSet r = s.executeQuery()) {
        assertThat(r.next()).isTrue();
        assertThat(r.getInt(1)).as("demo users when /healthz first answers 200").isEqualTo(1);
      }
      OAuthCalls oauth = server.oauth();
      Tokens tokens = oauth.signIn();
      assertThat(oauth.active(tokens.accessToken())).isTrue();

      server.stop();
      assertThat(server.isAlive()).isFalse();
      assertThat(server.stderr())
          .as("the log of a clean stop")
          .doesNotContain("\tat ")
          .doesNotContain("ERROR");
      server.assertNoSecretsInOutput();
    } finally {
      SharedPostgres.get().dropDatabase(database.name());
    }
  }
}
