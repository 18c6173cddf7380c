package io.devicelogin.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.Response;
import io.devicelogin.server.testing.OAuthCalls.Tokens;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /userinfo} with a bearer token (RFC 6750): who the token is for, within its scope; a
 * revoked, expired or missing token is 401 {@code invalid_token} with {@code WWW-Authenticate}.
 */
@ServerOnEachBackend(minutesBeforeEachTest = 1)
class UserinfoEndpointTest {
  @ServerUnderTest private static TestServer server;
  @ServerUnderTest private static OAuthCalls oauth;

  private static void assertInvalidToken(Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(401);
    assertThat(r.error()).isEqualTo("invalid_token");
    assertThat(r.header("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
    assertThat(r.header("Cache-Control")).contains("no-store");
  }

  @Test
  void aValidTokenGetsTheClaimsItsScopeAllows() {
    Tokens profile = oauth.signIn(TestClients.CLI, "openid profile offline_access");
    JsonNode json = oauth.userinfo(profile.accessToken()).json();
    assertThat(json.path("sub").asText()).isEqualTo(server.demoUser().id());
    assertThat(json.path("preferred_username").asText()).isEqualTo("demo");
    assertThat(json.has("email")).isFalse();

    Tokens email = oauth.signIn(TestClients.CLI, "openid email");
    Response r = oauth.userinfo(email.accessToken());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("email").asText()).isEqualTo("demo@example.com");
  }

  @Test
  void anOpenidOnlyTokenGetsTheSubjectButNeitherNameNorEmail() {
    // The consent page ties the name to profile and the address to email: openid alone releases
    // neither (OpenID Connect Core §5.4).
    Tokens openid = oauth.signIn(TestClients.CLI, "openid");
    Response r = oauth.userinfo(openid.accessToken());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("sub").asText()).isEqualTo(server.demoUser().id());
    assertThat(r.json().has("preferred_username")).isFalse();
    assertThat(r.json().has("name")).isFalse();
    assertThat(r.json().has("email")).isFalse();
  }

  @Test
  void eachScopeReleasesItsOwnClaimsAndNoOthers() {
    JsonNode profile =
        oauth.userinfo(oauth.signIn(TestClients.CLI, "openid profile").accessToken()).json();
    assertThat(profile.path("preferred_username").asText()).isEqualTo("demo");
    assertThat(profile.path("name").asText()).isEqualTo(server.demoUser().displayName());
    assertThat(profile.has("email")).isFalse();

    JsonNode email =
        oauth.userinfo(oauth.signIn(TestClients.CLI, "openid email").accessToken()).json();
    assertThat(email.path("email").asText()).isEqualTo("demo@example.com");
    assertThat(email.has("preferred_username")).isFalse();
    assertThat(email.has("name")).isFalse();
  }

  @Test
  void aRevokedTokenIsInvalidToken() {
    Tokens tokens = oauth.signIn();
    assertThat(oauth.userinfo(tokens.accessToken()).status()).isEqualTo(200);
    assertThat(oauth.revoke(TestClients.CLI, tokens.refreshToken(), null).status()).isEqualTo(200);
    assertInvalidToken(oauth.userinfo(tokens.accessToken()));
  }

  @Test
  void anExpiredTokenIsInvalidToken() {
    Tokens tokens = oauth.signIn();
    server.clock.advance(Duration.ofMinutes(10));
    assertInvalidToken(oauth.userinfo(tokens.accessToken()));
  }

  @Test
  void aMissingOrUnknownTokenIsInvalidToken() {
    assertThat(oauth.get("/userinfo").status()).isEqualTo(401);
    assertThat(oauth.get("/userinfo").header("WWW-Authenticate")).isPresent();
    assertInvalidToken(oauth.userinfo(IssuedSecrets.fresh("at-")));
    assertInvalidToken(oauth.userinfo("a.b.c"));
  }

  @Test
  void aRefreshTokenIsNotABearerToken() {
    Tokens tokens = oauth.signIn();
    assertInvalidToken(oauth.userinfo(tokens.refreshToken()));
  }
}
