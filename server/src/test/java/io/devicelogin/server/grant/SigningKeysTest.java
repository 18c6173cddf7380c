package io.devicelogin.server.grant;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.store.Database;
import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.testing.Backend;
import io.devicelogin.server.testing.SharedPostgres;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The signing keys of a database: the first is made once, whoever asks first, and every later load,
 * on this instance or another, finds that one.
 */
@ParameterizedClass
@EnumSource(Backend.class)
@ExtendWith(NoSecretsInOutput.class)
class SigningKeysTest {
  /** As many as start at once when a deployment rolls out, and more than this machine has cores. */
  private static final int INSTANCES = 8;

  @Parameter Backend backend;

  private SharedPostgres.TestDatabase postgres;
  private Database database;

  @BeforeEach
  void emptyDatabase() {
    if (backend == Backend.POSTGRES) {
      postgres = SharedPostgres.get().createDatabase();
      database = Database.jdbc(postgres.url(), postgres.user(), postgres.password());
    } else {
      database = Database.h2InMemory("signing-keys-" + System.nanoTime());
    }
  }

  @AfterEach
  void dropDatabase() {
    database.close();
    if (postgres != null) {
      SharedPostgres.get().dropDatabase(postgres.name());
    }
  }

  @Test
  void aLaterStartLoadsTheKeyTheFirstOneMade() {
    Jdbc jdbc = new Jdbc(database.dataSource());
    SigningKeys first = SigningKeys.loadOrCreate(jdbc, Clock.systemUTC());
    SigningKeys second = SigningKeys.loadOrCreate(jdbc, Clock.systemUTC());
    assertThat(second.active()).isEqualTo(first.active());
    assertThat(second.all()).hasSize(1);
    assertThat(first.active().isPrivate()).as("the private key is kept, to sign with").isTrue();
  }

  /**
   * Instances started together on an empty database each find no key; only one of them may make the
   * first, or each would sign with a key the others never load and reject each other's tokens.
   */
  @Test
  void instancesStartingTogetherOnAnEmptyDatabaseAllUseOneKey() throws Exception {
    CyclicBarrier together = new CyclicBarrier(INSTANCES);
    ExecutorService instances = Executors.newFixedThreadPool(INSTANCES);
    List<Future<SigningKeys>> started = new ArrayList<>();
    try {
      for (int i = 0; i < INSTANCES; i++) {
        started.add(
            instances.submit(
                () -> {
                  Jdbc jdbc = new Jdbc(database.dataSource());
                  together.await(30, TimeUnit.SECONDS);
                  return SigningKeys.loadOrCreate(jdbc, Clock.systemUTC());
                }));
      }
      List<String> activeKeys = new ArrayList<>();
      for (Future<SigningKeys> keys : started) {
        SigningKeys k = keys.get(60, TimeUnit.SECONDS);
        activeKeys.add(k.active().getKeyID());
        assertThat(k.all())
            .extracting(ECKey::getKeyID)
            .as("the keys one instance verifies with")
            .containsExactly(k.active().getKeyID());
      }
      assertThat(activeKeys).as("the key each instance signs with").containsOnly(activeKeys.get(0));
      assertThat(new Jdbc(database.dataSource()).count("SELECT COUNT(*) FROM signing_keys"))
          .as("keys in the database")
          .isEqualTo(1L);
    } finally {
      instances.shutdownNow();
    }
  }
}
