package io.devicelogin.server.grant;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.server.store.User;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.Response;
import io.devicelogin.server.testing.OAuthCalls.Tokens;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The refresh token grant over HTTP: rotation on every use, a rotated token presented again revokes
 * the grant (RFC 9700 §4.14.2), a narrower scope is allowed and a wider one is {@code
 * invalid_scope}, a grant of a user disabled later stops refreshing, and only a login with {@code
 * offline_access} gets a refresh token at all unless its client's {@code refresh_tokens} says
 * "always" or "never".
 */
@ServerOnEachBackend(minutesBeforeEachTest = 1)
class RefreshTokenTest {
  @ServerUnderTest private static TestServer server;
  @ServerUnderTest private static OAuthCalls oauth;

  private static void assertError(Response r, String error) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.error()).isEqualTo(error);
  }

  private static String[] scopes(Tokens t) {
    return t.scope().split(" ");
  }

  @Test
  void everyRefreshRotatesTheRefreshTokenAndIssuesANewAccessToken() {
    Tokens first = oauth.signIn();
    Tokens second = OAuthCalls.tokens(oauth.refresh(first));
    Tokens third = OAuthCalls.tokens(oauth.refresh(second));
    assertThat(Set.of(first.refreshToken(), second.refreshToken(), third.refreshToken()))
        .hasSize(3);
    assertThat(Set.of(first.accessToken(), second.accessToken(), third.accessToken())).hasSize(3);
    assertThat(scopes(third)).containsExactlyInAnyOrder("openid", "profile", "offline_access");
    assertThat(oauth.active(third.accessToken())).isTrue();
    assertThat(oauth.active(third.refreshToken())).isTrue();
    assertThat(oauth.active(first.refreshToken())).isFalse();
  }

  @Test
  void aRotatedRefreshTokenPresentedAgainRevokesTheWholeGrant() {
    Tokens first = oauth.signIn();
    Tokens second = OAuthCalls.tokens(oauth.refresh(first));
    assertError(oauth.refresh(first), "invalid_grant");

    assertThat(oauth.active(second.accessToken())).isFalse();
    assertThat(oauth.active(second.refreshToken())).isFalse();
    assertError(oauth.refresh(second), "invalid_grant");
    assertThat(oauth.userinfo(second.accessToken()).status()).isEqualTo(401);
  }

  @Test
  void aRotatedRefreshTokenPresentedAfterTheGrantIsRevokedWritesNothing() {
    Tokens first = oauth.signIn();
    OAuthCalls.tokens(oauth.refresh(first));
    assertError(oauth.refresh(first), "invalid_grant");
    long audited = server.jdbc().count("SELECT COUNT(*) FROM audit_events");

    for (int i = 0; i < 3; i++) {
      assertError(oauth.refresh(first), "invalid_grant");
    }
    assertThat(server.jdbc().count("SELECT COUNT(*) FROM audit_events")).isEqualTo(audited);
  }

  @Test
  void aNarrowerScopeOnRefreshIsGrantedToTheAccessTokenOnly() {
    Tokens first = oauth.signIn();
    Tokens narrow =
        OAuthCalls.tokens(oauth.refresh(TestClients.CLI, first.refreshToken(), "openid"));
    assertThat(scopes(narrow)).containsExactly("openid");
    assertThat(oauth.introspect(narrow.accessToken()).text("scope")).isEqualTo("openid");
    // RFC 6749 §6: the new refresh token has the scope of the one it replaced.
    assertThat(oauth.introspect(narrow.refreshToken()).text("scope").split(" "))
        .containsExactlyInAnyOrder("openid", "profile", "offline_access");
    Tokens full = OAuthCalls.tokens(oauth.refresh(narrow));
    assertThat(scopes(full)).containsExactlyInAnyOrder("openid", "profile", "offline_access");
  }

  @Test
  void aWiderScopeOnRefreshIsInvalidScopeAndLeavesTheRefreshTokenUsable() {
    Tokens first = oauth.signIn(TestClients.CLI, "openid offline_access");
    // email is allowed for the client but was not granted; admin is not even allowed.
    assertError(
        oauth.refresh(TestClients.CLI, first.refreshToken(), "openid email"), "invalid_scope");
    assertError(
        oauth.refresh(TestClients.CLI, first.refreshToken(), "openid admin"), "invalid_scope");
    Tokens next = OAuthCalls.tokens(oauth.refresh(first));
    assertThat(scopes(next)).containsExactlyInAnyOrder("openid", "offline_access");
  }

  @Test
  void aRefreshTokenOfAnotherClientIsInvalidGrantAndStaysUsableByItsOwn() {
    Tokens tokens = oauth.signIn();
    assertError(oauth.refresh(TestClients.OTHER_CLI, tokens.refreshToken(), null), "invalid_grant");
    OAuthCalls.tokens(oauth.refresh(tokens));
  }

  @Test
  void anUnknownRefreshTokenIsInvalidGrant() {
    assertError(oauth.refresh(TestClients.CLI, IssuedSecrets.fresh("rt-"), null), "invalid_grant");
  }

  @Test
  void aClientWithoutRefreshTokensGetsNone() {
    Tokens tokens = oauth.signIn(TestClients.NO_REFRESH_CLI, "openid");
    assertNoRefreshToken(tokens);
    assertError(
        oauth.refresh(TestClients.NO_REFRESH_CLI, IssuedSecrets.fresh("rt-"), null),
        "unauthorized_client");
  }

  @Test
  void aLoginWithoutOfflineAccessGetsNoRefreshToken() {
    // The consent page said nothing about staying signed in, so the login ends with its access
    // token (OpenID Connect Core §11).
    Tokens tokens = oauth.signIn(TestClients.CLI, "openid profile");
    assertNoRefreshToken(tokens);
    assertThat(
            server
                .jdbc()
                .count(
                    "SELECT COUNT(*) FROM refresh_tokens WHERE grant_id = ?",
                    server.grantIdOf(tokens.accessToken())))
        .isZero();
  }

  @Test
  void aClientWhosePolicyIsNeverGetsNoRefreshTokenEvenWithOfflineAccess() {
    Tokens tokens = oauth.signIn(TestClients.NO_REFRESH_CLI, "openid offline_access");
    assertNoRefreshToken(tokens);
  }

  @Test
  void aClientWhosePolicyIsAlwaysGetsRefreshTokensWithoutOfflineAccessAndTheyRotate() {
    String client = TestClients.ALWAYS_REFRESH_CLI;
    Tokens first = oauth.signIn(client, "openid profile");
    assertThat(first.refreshToken()).isNotNull();
    Tokens second = OAuthCalls.tokens(oauth.refresh(client, first.refreshToken(), null));
    assertThat(second.refreshToken()).isNotNull().isNotEqualTo(first.refreshToken());
    assertThat(scopes(second)).containsExactlyInAnyOrder("openid", "profile");
    Tokens narrow = OAuthCalls.tokens(oauth.refresh(client, second.refreshToken(), "openid"));
    assertThat(narrow.refreshToken())
        .as("a narrower access token keeps the grant signed in")
        .isNotNull();
    assertError(oauth.refresh(client, first.refreshToken(), null), "invalid_grant");
  }

  @Test
  void aGrantOfAUserDisabledLaterStopsRefreshingAndIsInactiveAtIntrospection() {
    String name = "later-disabled";
    server.createUser(name, false);
    User user = server.context().users().findByUsername(name).orElseThrow();
    var code = oauth.deviceCode();
    server.approve(code.userCode(), user);
    Tokens tokens = OAuthCalls.tokens(oauth.poll(code));
    assertThat(oauth.active(tokens.accessToken())).isTrue();

    server.context().users().setStatus(user.id(), User.Status.DISABLED);

    assertError(oauth.refresh(tokens), "invalid_grant");
    assertThat(oauth.active(tokens.accessToken())).isFalse();
    assertThat(oauth.active(tokens.refreshToken())).isFalse();
    assertThat(oauth.userinfo(tokens.accessToken()).status()).isEqualTo(401);

    // Enabled again, the grant works again: disabling an account suspends its grants, revoking ends
    // them.
    server.context().users().setStatus(user.id(), User.Status.ACTIVE);
    OAuthCalls.tokens(oauth.refresh(tokens));
  }

  @Test
  void aRefreshTokenUnusedForItsIdleLifetimeExpires() {
    Tokens tokens = oauth.signIn();
    server.clock.advance(Duration.ofDays(30));
    assertError(oauth.refresh(tokens), "invalid_grant");
    assertThat(oauth.active(tokens.refreshToken())).isFalse();
  }

  @Test
  void aGrantStopsRefreshingAtItsMaximumLifetimeWhateverItsUse() {
    Tokens tokens = oauth.signIn();
    for (int i = 0; i < 4; i++) {
      server.clock.advance(Duration.ofDays(20));
      tokens = OAuthCalls.tokens(oauth.refresh(tokens));
    }
    server.clock.advance(Duration.ofDays(9)); // day 89
    tokens = OAuthCalls.tokens(oauth.refresh(tokens));
    server.clock.advance(Duration.ofDays(1)); // day 90: the grant's refresh tokens end, used or not
    assertError(oauth.refresh(tokens), "invalid_grant");
    assertThat(oauth.active(tokens.refreshToken())).isFalse();
  }

  @Test
  void theTokenResponseCarriesTheRefreshedScopeAndLifetime() {
    Tokens tokens = OAuthCalls.tokens(oauth.refresh(oauth.signIn()));
    assertThat(tokens.expiresIn()).isEqualTo(600);
    assertThat(Arrays.asList(scopes(tokens))).contains("openid");
    assertThat(tokens.json().path("token_type").asText()).isEqualTo("Bearer");
  }

  private static void assertNoRefreshToken(Tokens tokens) {
    assertThat(tokens.refreshToken()).isNull();
    assertThat(tokens.json().has("refresh_token")).isFalse();
  }
}
