package io.devicelogin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.cli.profile.ProfilesException;
import io.devicelogin.cli.store.StoreUnavailableException;
import io.devicelogin.cli.store.UnreadableTokensException;
import io.devicelogin.client.DiscoveryException;
import io.devicelogin.client.ExpiredTokenException;
import io.devicelogin.client.InvalidResponseException;
import io.devicelogin.client.LoginCancelledException;
import io.devicelogin.client.OAuthErrorException;
import io.devicelogin.client.PollingTimeoutException;
import io.devicelogin.client.ServerErrorException;
import io.devicelogin.client.TransportException;
import io.devicelogin.client.wire.OAuthError;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The outcome table, row by row: each failure's exit code (as the README lists them), its name in
 * {@code login --json}, and what the person reads.
 */
class OutcomeTest {
  private static final URI TOKEN = URI.create("https://login.example.com/oauth2/token");

  private static OAuthErrorException oauth(String code) {
    return OAuthErrorException.of(new OAuthError(code, null, null), 400, TOKEN);
  }

  private static void assertRow(Throwable failure, int exit, String name, String message) {
    Outcome outcome = Outcome.of(failure);
    assertThat(outcome.exitCode()).as("exit code of %s", failure).isEqualTo(exit);
    assertThat(outcome.name(failure)).as("JSON name of %s", failure).isEqualTo(name);
    assertThat(outcome.message(failure)).as("message of %s", failure).isEqualTo(message);
  }

  @Test
  void theLoginsOwnEndingsHaveASentenceOfTheirOwn() {
    assertRow(oauth("access_denied"), 3, "access_denied", "the sign-in was denied in the browser.");
    assertRow(
        OAuthErrorException.of(
            new OAuthError("authorization_declined", null, null)
                .understoodAs(OAuthError.ACCESS_DENIED),
            400,
            TOKEN),
        3,
        "authorization_declined",
        "the sign-in was denied in the browser.");
    assertRow(
        oauth("expired_token"),
        4,
        "expired_token",
        "the code expired before it was approved; run the command again for a new one.");
    assertRow(
        ExpiredTokenException.detectedLocally(TOKEN),
        4,
        "expired_token",
        "the code expired before it was approved; run the command again for a new one.");
    assertRow(
        new PollingTimeoutException(Duration.ofMinutes(1)),
        5,
        "timed_out",
        "gave up waiting (--timeout); run the command again when you are ready to approve.");
    assertRow(new LoginCancelledException(), 130, "cancelled", "cancelled.");
  }

  @Test
  void aServerThatCannotBeReachedOrUnderstoodExits6() {
    for (RuntimeException failure :
        new RuntimeException[] {
          new TransportException(TOKEN, "connection refused", null),
          new InvalidResponseException(TOKEN, 200, "not JSON"),
          new ServerErrorException(TOKEN, 503),
          new DiscoveryException(URI.create("https://login.example.com"), "no metadata")
        }) {
      assertRow(failure, 6, "server_unreachable", failure.getMessage());
    }
  }

  @Test
  void theOtherFailuresSayTheirOwnMessage() {
    assertRow(new NotLoggedInException("not logged in"), 7, "error", "not logged in");
    assertRow(new UnreadableTokensException("garbled"), 7, "error", "garbled");
    assertRow(new StoreUnavailableException("no keyring"), 8, "no_secure_store", "no keyring");
    assertRow(
        new UsageException("--store is keyring or memory"),
        2,
        "error",
        "--store is keyring or memory");
    assertRow(new IllegalArgumentException("bad HTTPS_PROXY"), 2, "error", "bad HTTPS_PROXY");
    assertRow(oauth("invalid_client"), 1, "invalid_client", oauth("invalid_client").getMessage());
    assertRow(
        new ProfilesException("profiles.json is broken"), 1, "error", "profiles.json is broken");
    assertRow(new IllegalStateException(), 1, "error", "unexpected IllegalStateException");
  }
}
