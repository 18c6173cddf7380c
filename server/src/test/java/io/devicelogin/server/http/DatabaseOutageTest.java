package io.devicelogin.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.testing.Backend;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.Response;
import io.devicelogin.server.testing.OAuthCalls.Tokens;
import io.devicelogin.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * While PostgreSQL is away (stopped, restarting, failed over), the server says so: a 503 with
 * {@code Retry-After} that a client retries, within the pool's short wait, not a 500 after half a
 * minute; and it serves again as soon as the database is back, with nothing half done.
 */
@ExtendWith(NoSecretsInOutput.class)
class DatabaseOutageTest {
  @Test
  void whileTheDatabaseIsAwayARefreshIs503WithRetryAfterAndSucceedsOnceItIsBack() throws Exception {
    try (TestServer server = TestServer.start(Backend.POSTGRES)) {
      OAuthCalls oauth = server.oauth();
      Tokens tokens = oauth.signIn();
      Response during;
      long started = System.nanoTime();
      try (AutoCloseable outage = server.databaseOutage()) {
        during = oauth.refresh(tokens);
      }
      long waitedMillis = (System.nanoTime() - started) / 1_000_000;

      assertThat(during.status()).as(during.body()).isEqualTo(503);
      assertThat(during.header("Retry-After")).contains(Defaults.RETRY_AFTER_WHILE_DATABASE_DOWN);
      assertThat(during.error()).isEqualTo("temporarily_unavailable");
      assertThat(waitedMillis).isLessThan(Defaults.DATABASE_CONNECTION_WAIT.toMillis() + 10_000);
      // Once it is back, a client retrying as told gets through (the pool may still hand out a
      // connection the outage ended, once each), and the refused refresh consumed nothing: the
      // same refresh token rotates.
      Response after = oauth.refresh(tokens);
      for (int retry = 0; retry < 20 && after.status() == 503; retry++) {
        after = oauth.refresh(tokens);
      }
      assertThat(after.status()).as(after.body()).isEqualTo(200);
    }
  }
}
