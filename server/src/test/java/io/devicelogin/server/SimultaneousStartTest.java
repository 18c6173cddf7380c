package io.devicelogin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.testing.SharedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instances of a new deployment start together on one empty PostgreSQL database, with {@code
 * --demo}: every one of them starts, and they end up with one schema, one signing key and one demo
 * user. Here the instances are servers in this JVM released by a barrier, which makes the moments
 * they race for far closer than separate processes make them; {@code SeveralInstancesIT} starts two
 * real processes.
 */
@ExtendWith(NoSecretsInOutput.class)
class SimultaneousStartTest {
  private static final int INSTANCES = 3;

  @TempDir Path dataDirs;

  @Test
  void instancesStartingTogetherOnAnEmptyDatabaseAllStartWithOneKeyAndOneDemoUser()
      throws Exception {
    SharedPostgres.TestDatabase database = SharedPostgres.get().createDatabase();
    Map<String, String> env =
        Map.of(
            "DEVICELOGIN_DB_USER",
            database.user(),
            "DEVICELOGIN_DB_PASSWORD",
            database.password(),
            "DEVICELOGIN_DEMO_PASSWORD",
            IssuedSecrets.fresh("demo-pw-"));
    CyclicBarrier together = new CyclicBarrier(INSTANCES);
    ExecutorService starting = Executors.newFixedThreadPool(INSTANCES);
    List<Future<DeviceLoginServer>> futures = new ArrayList<>();
    List<ByteArrayOutputStream> printed = new ArrayList<>();
    List<DeviceLoginServer> servers = new ArrayList<>();
    try {
      for (int i = 0; i < INSTANCES; i++) {
        ServerConfig config =
            ServerConfig.parse(
                List.of(
                    "--port",
                    "0",
                    "--data-dir",
                    dataDirs.resolve("instance-" + i).toString(),
                    "--db-url",
                    database.url(),
                    "--demo"),
                env);
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        printed.add(terminal);
        futures.add(
            starting.submit(
                () -> {
                  together.await(30, TimeUnit.SECONDS);
                  return DeviceLoginServer.start(
                      config,
                      Clock.systemUTC(),
                      new SecureRandom(),
                      new PrintStream(terminal, true, StandardCharsets.UTF_8));
                }));
      }
      for (Future<DeviceLoginServer> f : futures) {
        servers.add(f.get(120, TimeUnit.SECONDS));
      }

      assertThat(count(database, "SELECT COUNT(*) FROM signing_keys"))
          .as("signing keys")
          .isEqualTo(1L);
      assertThat(count(database, "SELECT COUNT(*) FROM users WHERE username = 'demo'"))
          .as("demo users")
          .isEqualTo(1L);
      String jwks = TestHttp.get(URI.create(servers.get(0).issuer() + "/jwks")).body();
      for (DeviceLoginServer server : servers) {
        assertThat(TestHttp.get(URI.create(server.issuer() + "/jwks")).body())
            .as("the keys %s publishes", server.issuer())
            .isEqualTo(jwks);
      }
      assertThat(printed)
          .extracting(p -> p.toString(StandardCharsets.UTF_8))
          .filteredOn(text -> text.contains("Demo user created"))
          .as("instances that created the demo user")
          .hasSize(1);
    } finally {
      starting.shutdownNow();
      servers.forEach(DeviceLoginServer::close);
      SharedPostgres.get().dropDatabase(database.name());
    }
  }

  private static long count(SharedPostgres.TestDatabase database, String sql) throws Exception {
    try (Connection c =
            DriverManager.getConnection(database.url(), database.user(), database.password());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }
}
