package io.devicelogin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.testing.SharedPostgres;
import io.devicelogin.server.testing.TestServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code /healthz}: 200 while the database answers {@code SELECT 1}, 503 soon after it stops. */
class HealthTest {

  @Test
  void answersOkWhileTheDatabaseAnswers() {
    try (TestServer server = TestServer.start()) {
      HttpResponse<String> response = TestHttp.get(server.uri("/healthz"));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(TestHttp.json(response).toString()).isEqualTo("{\"status\":\"ok\"}");
      assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    }
  }

  @Test
  void answers503WhenTheDatabaseIsClosed() {
    try (TestServer server = TestServer.start()) {
      server.database().close();
      HttpResponse<String> response = TestHttp.get(server.uri("/healthz"));
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(TestHttp.json(response).path("status").asText()).isEqualTo("unavailable");
      assertThat(TestHttp.json(response).path("database").asText()).isEqualTo("not answering");
    }
  }

  @Test
  void answers503WithinItsTimeoutWhenPostgresqlStops() throws IOException {
    EmbeddedPostgres postgres = SharedPostgres.startDedicated();
    try (DeviceLoginServer server =
        TestServer.startFromArgs(
            List.of(
                "--port",
                "0",
                "--db-url",
                postgres.getJdbcUrl("postgres", "postgres"),
                "--demo"))) {
      URI healthz = URI.create(server.issuer() + "/healthz");
      assertThat(TestHttp.get(healthz).statusCode()).isEqualTo(200);

      postgres.close();
      long started = System.nanoTime();
      HttpResponse<String> response = TestHttp.get(healthz);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(response.statusCode()).isEqualTo(503);
      // The pool alone would wait 30 s for a connection; the probe answers within its own bound.
      assertThat(took).isLessThan(Defaults.HEALTH_CHECK_TIMEOUT.plusSeconds(3));

      // Probes that arrive while a check is stuck share it, and answer as quickly.
      long again = System.nanoTime();
      assertThat(TestHttp.get(healthz).statusCode()).isEqualTo(503);
      assertThat(Duration.ofNanos(System.nanoTime() - again))
          .isLessThan(Defaults.HEALTH_CHECK_TIMEOUT.plusSeconds(3));
    } finally {
      postgres.close();
    }
  }
}
