package io.devicelogin.server.oauth;

import static io.devicelogin.server.oauth.OAuthErrorResponsesTest.assertOAuthError;
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
 * {@code POST /oauth2/introspect} (RFC 7662): only an authenticated confidential client allowed to
 * introspect may call it (anyone else gets 401 {@code invalid_client}); it tells active tokens from
 * revoked, expired and unknown ones.
 */
@ServerOnEachBackend(minutesBeforeEachTest = 1)
class IntrospectionEndpointTest {
  @ServerUnderTest private static TestServer server;
  @ServerUnderTest private static OAuthCalls oauth;

  private static Response introspectWithBody(String body) {
    return oauth.post("/oauth2/introspect", body);
  }

  @Test
  void theResourceServerLearnsWhoAnActiveAccessTokenIsFor() {
    Tokens tokens = oauth.signIn(TestClients.CLI, "openid email offline_access");
    Response r = oauth.introspect(tokens.accessToken());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Cache-Control")).contains("no-store");
    JsonNode json = r.json();
    assertThat(json.path("active").asBoolean()).isTrue();
    assertThat(json.path("sub").asText()).isEqualTo(server.demoUser().id());
    assertThat(json.path("username").asText()).isEqualTo("demo");
    assertThat(json.path("client_id").asText()).isEqualTo(TestClients.CLI);
    assertThat(json.path("scope").asText().split(" "))
        .containsExactlyInAnyOrder("openid", "email", "offline_access");
    assertThat(json.path("iss").asText()).isEqualTo(server.issuer());
    assertThat(json.path("exp").asLong())
        .isEqualTo(server.clock.instant().plusSeconds(600).getEpochSecond());
    assertThat(json.path("iat").asLong()).isEqualTo(server.clock.instant().getEpochSecond());
    assertThat(json.path("jti").asText()).isNotBlank();
    assertThat(json.path("token_type").asText()).isEqualTo("Bearer");
  }

  @Test
  void aRefreshTokenIntrospectsAsActiveUntilRotated() {
    Tokens tokens = oauth.signIn();
    JsonNode json = oauth.introspect(tokens.refreshToken()).json();
    assertThat(json.path("active").asBoolean()).isTrue();
    assertThat(json.path("token_type").asText()).isEqualTo("refresh_token");
    assertThat(json.path("client_id").asText()).isEqualTo(TestClients.CLI);
    OAuthCalls.tokens(oauth.refresh(tokens));
    assertThat(oauth.active(tokens.refreshToken())).isFalse();
  }

  @Test
  void clientSecretPostWorksAsWellAsBasic() {
    Tokens tokens = oauth.signIn();
    Response r =
        introspectWithBody(
            OAuthCalls.form(
                "client_id",
                TestClients.RESOURCE_SERVER,
                "client_secret",
                server.clients.resourceServerSecret,
                "token",
                tokens.accessToken()));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("active").asBoolean()).isTrue();
  }

  @Test
  void unknownExpiredAndMalformedTokensAreInactive() {
    Tokens tokens = oauth.signIn();
    assertThat(oauth.active(IssuedSecrets.fresh("unknown-"))).isFalse();
    assertThat(oauth.active("a.b.c")).isFalse();
    assertThat(oauth.active("x".repeat(4000))).isFalse();
    server.clock.advance(Duration.ofMinutes(10));
    Response r = oauth.introspect(tokens.accessToken());
    assertThat(r.json().path("active").asBoolean()).isFalse();
    // An inactive answer says nothing else (RFC 7662 §2.2).
    assertThat(r.json().size()).isEqualTo(1);
  }

  @Test
  void aPublicClientCannotIntrospect() {
    Tokens tokens = oauth.signIn();
    assertOAuthError(
        introspectWithBody(
            OAuthCalls.form("client_id", TestClients.CLI, "token", tokens.accessToken())),
        401,
        "invalid_client");
  }

  @Test
  void aConfidentialClientNotAllowedToIntrospectCannot() {
    Tokens tokens = oauth.signIn();
    assertOAuthError(
        oauth.introspectAs(
            TestClients.REPORTING, server.clients.reportingSecret, tokens.accessToken()),
        401,
        "invalid_client");
  }

  @Test
  void aWrongOrMissingSecretIsInvalidClient() {
    Tokens tokens = oauth.signIn();
    assertOAuthError(
        oauth.introspectAs(
            TestClients.RESOURCE_SERVER, IssuedSecrets.fresh("wrong-"), tokens.accessToken()),
        401,
        "invalid_client");
    assertOAuthError(
        introspectWithBody(
            OAuthCalls.form(
                "client_id", TestClients.RESOURCE_SERVER, "token", tokens.accessToken())),
        401,
        "invalid_client");
    assertOAuthError(
        introspectWithBody(OAuthCalls.form("token", tokens.accessToken())), 401, "invalid_client");
    // The resource server's secret under another client's name proves nothing.
    assertOAuthError(
        oauth.introspectAs(
            TestClients.REPORTING, server.clients.resourceServerSecret, tokens.accessToken()),
        401,
        "invalid_client");
  }

  @Test
  void aMissingTokenIsInvalidRequest() {
    Response r = oauth.post("/oauth2/introspect", oauth.resourceServerBasic(), "");
    assertOAuthError(r, 400, "invalid_request");
  }
}
