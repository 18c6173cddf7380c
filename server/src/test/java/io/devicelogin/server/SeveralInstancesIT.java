package io.devicelogin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.DeviceCode;
import io.devicelogin.server.testing.OAuthCalls.Response;
import io.devicelogin.server.testing.OAuthCalls.Tokens;
import io.devicelogin.server.testing.ServerProcess;
import io.devicelogin.server.testing.SharedPostgres;
import io.devicelogin.server.testing.StartingGate;
import io.devicelogin.server.testing.TestClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two server processes, A and B, on one PostgreSQL database, as behind a load balancer: one issuer
 * and one configuration, whichever instance a request reaches. They are started at the same moment
 * on an empty database, which is the first thing checked.
 *
 * <p>That the device authorization rate limits and the slow_down poll clock hold for both instances
 * together is proved by {@code SeveralInstancesTest}: two servers in one JVM sharing one database
 * and one controlled clock, which a test here, with real processes and the real clock, could only
 * approximate. The tests here stay well under the default limits.
 */
@ExtendWith(NoSecretsInOutput.class)
class SeveralInstancesIT {
  private static SharedPostgres.TestDatabase database;
  private static ServerProcess a;
  private static ServerProcess b;
  private static OAuthCalls atA;
  private static OAuthCalls atB;

  @BeforeAll
  static void startTwoInstancesTogetherOnAnEmptyDatabase() {
    database = SharedPostgres.get().createDatabase();
    a = ServerProcess.named("instance-a").database(database).build();
    b = ServerProcess.named("instance-b").besides(a).build();
    // Launched back to back and only then awaited: both migrate, look for a signing key and create
    // the demo user at about the same time, as instances of a new deployment do.
    a.launch();
    b.launch();
    a.awaitReady();
    b.awaitReady();
    atA = a.oauth();
    atB = b.oauth();
  }

  @AfterAll
  static void stopBothAndDropTheDatabase() {
    try {
      if (a != null) {
        a.assertNoSecretsInOutput();
        b.assertNoSecretsInOutput();
      }
    } finally {
      if (a != null) {
        a.close();
        b.close();
      }
      SharedPostgres.get().dropDatabase(database.name());
    }
  }

  /** The versions of the migrations this checkout ships, in order: V1__…sql and on. */
  private static List<String> shippedMigrationVersions() {
    try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(name -> name.matches("V\\d+__.*\\.sql"))
          .map(name -> name.substring(1, name.indexOf("__")))
          .sorted(Comparator.comparingInt(Integer::parseInt))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void startedTogetherOnAnEmptyDatabaseTheyMigrateOnceAndShareOneSigningKeyAndOneDemoUser()
      throws SQLException {
    assertThat(a.isAlive()).isTrue();
    assertThat(b.isAlive()).isTrue();
    List<String> migrations =
        column(
            "SELECT version FROM flyway_schema_history WHERE version IS NOT NULL"
                + " AND success ORDER BY installed_rank");
    assertThat(migrations)
        .as("each migration, applied once")
        .doesNotHaveDuplicates()
        .containsExactlyElementsOf(shippedMigrationVersions());
    assertThat(column("SELECT kid FROM signing_keys")).as("signing keys").hasSize(1);
    assertThat(column("SELECT id FROM users WHERE username = 'demo'")).as("demo users").hasSize(1);
    for (ServerProcess instance : List.of(a, b)) {
      assertThat(instance.stderr())
          .as("the log of %s", instance.issuer())
          .doesNotContain("\tat ")
          .doesNotContain(" ERROR ");
    }
  }

  @Test
  void aCodeFromAIsApprovedOnBsPagesAndRedeemedOnA() {
    DeviceCode code = atA.deviceCode(TestClients.CLI, "openid profile offline_access");
    assertThat(atA.poll(code).error()).isEqualTo("authorization_pending");
    b.approve(code.userCode());
    Tokens tokens = OAuthCalls.tokens(atA.poll(code));
    assertThat(atA.active(tokens.accessToken())).isTrue();
    assertThat(atB.active(tokens.accessToken())).isTrue();
    Response again = atB.poll(code);
    assertThat(again.status()).as("the same code polled at B").isEqualTo(400);
    assertThat(again.error()).isEqualTo("invalid_grant");
  }

  @Test
  void anApprovedCodePolledAtBothInstancesAtOnceYieldsExactlyOneTokenResponseInEveryTrial() {
    try (StartingGate gate = new StartingGate(20)) {
      // Twenty trials: with the other tests here, that stays under the default 30 device
      // authorizations per
      // address per minute, which both instances now count together.
      List<String> failures =
          StartingGate.trials(
              20,
              () -> {
                DeviceCode code = atA.deviceCode(TestClients.CLI, "openid profile offline_access");
                a.approve(code.userCode());
                AtomicInteger runner = new AtomicInteger();
                // Half the polls at each instance, all released together.
                Map<String, Integer> outcomes =
                    OAuthCalls.outcomes(
                        gate.release(
                            () -> (runner.getAndIncrement() % 2 == 0 ? atA : atB).poll(code)));
                return outcomes.equals(Map.of("400 invalid_grant", 19, "tokens", 1))
                    ? null
                    : "answers " + outcomes;
              });
      assertThat(failures).isEmpty();
    }
  }

  @Test
  void aTokenSignedByAVerifiesAtBWhoseKeysAreAs() {
    assertThat(atB.get("/jwks").json()).as("B's JWKS").isEqualTo(atA.get("/jwks").json());
    Tokens tokens = atA.signIn();
    atB.assertAccepted(tokens.accessToken(), a.issuer());
  }

  @Test
  void aGrantFromAIsRefreshedOnBAndTheRotationHoldsOnA() {
    Tokens fromA = atA.signIn();
    Tokens fromB = OAuthCalls.tokens(atB.refresh(fromA));
    assertThat(atA.active(fromB.accessToken())).as("B's new access token at A").isTrue();
    assertThat(atA.active(fromA.refreshToken())).as("the refresh token B rotated, at A").isFalse();
  }

  @Test
  void aRevocationOnAIsSeenByBAtOnce() {
    Tokens tokens = atA.signIn();
    // B has verified the token (and may remember that it did) before the revocation.
    assertThat(atB.active(tokens.accessToken())).isTrue();
    assertThat(atA.revoke(TestClients.CLI, tokens.accessToken(), "access_token").status())
        .isEqualTo(200);
    assertThat(atB.active(tokens.accessToken())).as("the access token at B, right after").isFalse();
    Response refresh = atB.refresh(tokens);
    assertThat(refresh.status()).isEqualTo(400);
    assertThat(refresh.error()).isEqualTo("invalid_grant");
  }

  private static List<String> column(String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection(database.url(), database.user(), database.password());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        values.add(r.getString(1));
      }
    }
    return values;
  }
}
