package io.devicelogin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.testing.Backend;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.DeviceCode;
import io.devicelogin.server.testing.OAuthCalls.Response;
import io.devicelogin.server.testing.OAuthCalls.Tokens;
import io.devicelogin.server.testing.ServerProcess;
import io.devicelogin.server.testing.SharedPostgres;
import io.devicelogin.server.testing.TestClients;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server killed with SIGKILL and started again on the same port and data keeps every device
 * authorization and grant as it was: on H2 (the data directory) and on PostgreSQL.
 *
 * <p>Before the kill the server holds a pending code, an approved code nobody has redeemed yet, a
 * grant whose tokens were issued, and a grant revoked. Each is made right before the kill, with
 * nothing in between to let a lazy write catch up: what was answered to a client must be on disk by
 * then. The restart happens once per backend; each test then checks one of them.
 */
@ParameterizedClass
@EnumSource(Backend.class)
@ExtendWith(NoSecretsInOutput.class)
class ServerRestartIT {
  private static SharedPostgres.TestDatabase database;
  private static ServerProcess server;
  private static OAuthCalls oauth;

  private static DeviceCode pending;
  private static DeviceCode approved;
  private static Tokens issued;
  private static Tokens revoked;
  private static String jwksBefore;

  @Parameter Backend backend;

  @BeforeParameterizedClassInvocation
  static void killAServerHoldingEveryStateAndStartItAgain(Backend backend) {
    database = backend == Backend.POSTGRES ? SharedPostgres.get().createDatabase() : null;
    server =
        ServerProcess.named("restart-" + backend.name().toLowerCase(Locale.ROOT))
            .backend(backend, database)
            .start();
    oauth = server.oauth();
    jwksBefore = oauth.get("/jwks").body();

    issued = oauth.signIn();
    assertThat(oauth.active(issued.accessToken())).isTrue();

    revoked = oauth.signIn();
    assertThat(oauth.revoke(TestClients.CLI, revoked.refreshToken(), "refresh_token").status())
        .isEqualTo(200);

    // Not polled before the kill: on PostgreSQL the poll clock lives in the code's row and survives
    // the restart, so a poll right after it could fairly be slow_down; the first poll of a code
    // never is.
    pending = oauth.deviceCode();

    approved = oauth.deviceCode();
    server.approve(approved.userCode());

    server.kill();
    server.start();
  }

  @AfterParameterizedClassInvocation
  static void stopAndDropTheDatabase() {
    try {
      server.assertNoSecretsInOutput();
    } finally {
      server.close();
      if (database != null) {
        SharedPostgres.get().dropDatabase(database.name());
      }
    }
  }

  @Test
  void aPendingCodeIsStillPendingAndCanThenBeApprovedAndRedeemed() {
    assertThat(oauth.poll(pending).error()).isEqualTo("authorization_pending");
    server.approve(pending.userCode());
    Tokens tokens = OAuthCalls.tokens(oauth.poll(pending));
    assertThat(oauth.active(tokens.accessToken())).isTrue();
  }

  @Test
  void anApprovedCodeRedeemsTokensExactlyOnce() {
    Tokens tokens = OAuthCalls.tokens(oauth.poll(approved));
    assertThat(oauth.active(tokens.accessToken())).isTrue();
    Response again = oauth.poll(approved);
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.error()).isEqualTo("invalid_grant");
  }

  @Test
  void anIssuedAccessTokenStillVerifiesBecauseTheSigningKeySurvived() {
    assertThat(oauth.get("/jwks").body()).as("the published keys").isEqualTo(jwksBefore);
    oauth.assertAccepted(issued.accessToken(), server.defaultIssuer());
  }

  @Test
  void anIssuedRefreshTokenStillRefreshes() {
    Tokens refreshed = OAuthCalls.tokens(oauth.refresh(issued));
    assertThat(refreshed.refreshToken()).isNotEqualTo(issued.refreshToken());
    assertThat(oauth.active(refreshed.accessToken())).isTrue();
  }

  @Test
  void aRevokedGrantStaysRevoked() {
    assertThat(oauth.active(revoked.accessToken()))
        .as("the revoked grant's access token")
        .isFalse();
    assertThat(oauth.active(revoked.refreshToken())).as("its refresh token").isFalse();
    Response refresh = oauth.refresh(revoked);
    assertThat(refresh.status()).isEqualTo(400);
    assertThat(refresh.error()).isEqualTo("invalid_grant");
  }

  @Test
  void theRestartedServerAnswersAtTheSameAddressUnderTheSameName() {
    assertThat(oauth.get("/.well-known/oauth-authorization-server").json().path("issuer").asText())
        .isEqualTo(server.defaultIssuer());
    assertThat(server.stdout()).contains("Demo user: demo (exists, unchanged)");
    assertThat(server.stderr()).as("the restarted server's log").doesNotContain("\tat ");
  }
}
