package io.devicelogin.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.NoSecretsInOutput;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The fixture itself: a real server on a fresh database of each backend. */
@ParameterizedClass
@EnumSource(Backend.class)
@ExtendWith(NoSecretsInOutput.class)
class TestServerTest {
  @Parameter Backend backend;

  @Test
  void eachServerRunsOnAFreshDatabaseOfItsBackend() throws Exception {
    try (TestServer a = TestServer.start(backend);
        TestServer b = TestServer.start(backend)) {
      a.createUser("only-in-a", false);
      try (Connection c = a.database().connection()) {
        assertThat(c.getMetaData().getDatabaseProductName())
            .isEqualTo(backend == Backend.POSTGRES ? "PostgreSQL" : "H2");
      }
      assertThat(a.database().isPostgres()).isEqualTo(backend == Backend.POSTGRES);
      assertThat(b.context().users().findByUsername("only-in-a")).isEmpty();
    }
  }

  @Test
  void aRestartedServerKeepsItsDatabaseIssuerAndClock() {
    TestServer first = TestServer.start(backend);
    first.createUser("survivor", false);
    String issuer = first.issuer();
    try (TestServer second = first.restart()) {
      assertThat(second.context().users().findByUsername("survivor")).isPresent();
      assertThat(second.issuer()).isEqualTo(issuer);
      assertThat(second.clock).isSameAs(first.clock);
    }
  }
}
