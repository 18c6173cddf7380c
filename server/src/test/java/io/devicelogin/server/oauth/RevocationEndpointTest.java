package io.devicelogin.server.oauth;

import static io.devicelogin.server.oauth.OAuthErrorResponsesTest.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.Response;
import io.devicelogin.server.testing.OAuthCalls.Tokens;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /oauth2/revoke} (RFC 7009): revoking the refresh token or an access token revokes the
 * whole grant, so that introspection answers {@code active: false} for its access tokens at once
 * and every refresh stops; so does a revocation by the person or an admin.
 */
@ServerOnEachBackend(minutesBeforeEachTest = 1)
class RevocationEndpointTest {
  @ServerUnderTest private static TestServer server;
  @ServerUnderTest private static OAuthCalls oauth;

  private static void assertRevoked(Tokens tokens, Tokens... others) {
    assertThat(oauth.active(tokens.accessToken())).isFalse();
    assertThat(oauth.active(tokens.refreshToken())).isFalse();
    Response refresh = oauth.refresh(tokens);
    assertOAuthError(refresh, 400, "invalid_grant");
    assertThat(oauth.userinfo(tokens.accessToken()).status()).isEqualTo(401);
    for (Tokens other : others) {
      assertThat(oauth.active(other.accessToken())).isFalse();
    }
  }

  /** The demo client revokes {@code token}: accepted, whatever it was (RFC 7009 §2.2). */
  private static void assertRevokes(String token, String hint) {
    assertRevocationAccepted(oauth.revoke(TestClients.CLI, token, hint));
  }

  private static void assertRevocationAccepted(Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.header("Cache-Control")).contains("no-store");
  }

  @Test
  void revokingTheRefreshTokenRevokesTheGrant() {
    Tokens first = oauth.signIn();
    Tokens current = OAuthCalls.tokens(oauth.refresh(first));
    assertRevokes(current.refreshToken(), "refresh_token");
    assertRevoked(current, first);
  }

  @Test
  void revokingAnAccessTokenRevokesTheGrantAndItsRefreshToken() {
    Tokens tokens = oauth.signIn();
    assertRevokes(tokens.accessToken(), "access_token");
    assertRevoked(tokens);
  }

  @Test
  void revocationWorksWithoutHintOrWithAWrongHint() {
    Tokens a = oauth.signIn();
    Tokens b = oauth.signIn();
    assertRevokes(a.accessToken(), null);
    assertRevokes(b.refreshToken(), "access_token");
    assertRevoked(a);
    assertRevoked(b);
  }

  @Test
  void revokingOneGrantLeavesTheOthersActive() {
    Tokens revoked = oauth.signIn();
    Tokens kept = oauth.signIn();
    assertRevokes(revoked.refreshToken(), null);
    assertThat(oauth.active(kept.accessToken())).isTrue();
    OAuthCalls.tokens(oauth.refresh(kept));
  }

  @Test
  void anUnknownOrAlreadyRevokedTokenIsAcceptedAllTheSame() {
    assertRevokes(IssuedSecrets.fresh("unknown-"), null);
    Tokens tokens = oauth.signIn();
    assertRevokes(tokens.refreshToken(), null);
    assertRevokes(tokens.refreshToken(), null);
    assertRevokes(tokens.accessToken(), null);
  }

  @Test
  void aClientCannotRevokeAnotherClientsTokens() {
    Tokens tokens = oauth.signIn();
    Response r = oauth.revoke(TestClients.OTHER_CLI, tokens.refreshToken(), null);
    assertOAuthError(r, 400, "unauthorized_client");
    assertThat(oauth.active(tokens.accessToken())).isTrue();
    OAuthCalls.tokens(oauth.refresh(tokens));
  }

  @Test
  void aMissingTokenIsInvalidRequestAndAMissingClientIsInvalidClient() {
    assertOAuthError(
        oauth.post("/oauth2/revoke", OAuthCalls.form("client_id", TestClients.CLI)),
        400,
        "invalid_request");
    assertOAuthError(
        oauth.post("/oauth2/revoke", OAuthCalls.form("token", "x")), 401, "invalid_client");
  }

  @Test
  void aRevocationByThePersonOrAnAdminEndsTheGrantAtOnceToo() {
    for (String by : new String[] {"user:demo", "admin:root"}) {
      Tokens tokens = oauth.signIn();
      String grantId = server.grantIdOf(tokens.accessToken());
      assertThat(server.revokeGrant(grantId, by, "signed out everywhere")).isTrue();
      assertRevoked(tokens);
      assertThat(server.context().tokens().findGrant(grantId).orElseThrow().revokedBy())
          .isEqualTo(by);
    }
  }

  @Test
  void everyRevocationThatTakesEffectIsAnnouncedOnceToListeners() {
    AtomicInteger revoked = new AtomicInteger();
    server.context().tokens().onGrantRevoked(revoked::incrementAndGet);
    Tokens byClient = oauth.signIn();
    oauth.revoke(TestClients.CLI, byClient.refreshToken(), null);
    oauth.revoke(TestClients.CLI, byClient.refreshToken(), null);
    assertThat(revoked).hasValue(1);
    Tokens replayed = oauth.signIn();
    OAuthCalls.tokens(oauth.refresh(replayed));
    oauth.refresh(replayed);
    oauth.refresh(replayed);
    assertThat(revoked).hasValue(2);
  }

  @Test
  void aRevocationByAnAdminWithTheLongestUsernameIsRecorded() {
    String name = "a".repeat(100); // users.username holds 100 characters; "admin:" comes on top
    server.createUser(name, true);
    Tokens tokens = oauth.signIn();
    String grantId = server.grantIdOf(tokens.accessToken());
    assertThat(server.revokeGrant(grantId, "admin:" + name, "revoked by an administrator"))
        .isTrue();
    assertThat(server.context().tokens().findGrant(grantId).orElseThrow().revokedBy())
        .isEqualTo("admin:" + name);
    assertThat(server.context().audit().find(null, null, grantId, 10))
        .anySatisfy(e -> assertThat(e.actor()).isEqualTo("admin:" + name));
    assertRevoked(tokens);
  }
}
