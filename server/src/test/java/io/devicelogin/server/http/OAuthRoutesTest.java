package io.devicelogin.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.Response;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OAuth endpoints' own route table in front of the pages: a wrong method is a 405 OAuth error
 * naming the right one, a trailing slash is the same endpoint, every answer carries the security
 * headers and is counted, and the pages are still reached behind it.
 */
@ExtendWith(NoSecretsInOutput.class)
class OAuthRoutesTest {
  private static TestServer server;
  private static OAuthCalls oauth;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    oauth = server.oauth();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aWrongMethodIs405WithAllowAndAnOAuthErrorObject() {
    Response r = oauth.send(oauth.request("/oauth2/token").GET());
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.header("Allow")).contains("POST");
    assertThat(r.error()).isEqualTo("invalid_request");
    assertThat(r.header("Cache-Control")).contains("no-store");
    assertThat(r.header("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
  }

  @Test
  void aTrailingSlashNamesTheSameEndpoint() {
    Response r =
        oauth.post("/oauth2/device_authorization/", OAuthCalls.form("client_id", TestClients.CLI));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text("device_code")).isNotBlank();
  }

  @Test
  void oauthAnswersCarryTheSecurityHeadersAndAreCounted() {
    Response r = oauth.post("/oauth2/token", OAuthCalls.form("client_id", TestClients.CLI));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).isEqualTo("invalid_request");
    assertThat(r.header("X-Content-Type-Options")).contains("nosniff");
    assertThat(r.header("Referrer-Policy")).contains("no-referrer");
    assertThat(r.header("X-Frame-Options")).contains("DENY");
    assertThat(r.header("Content-Security-Policy"))
        .hasValueSatisfying(v -> assertThat(v).contains("frame-ancestors 'none'"));
    Response metrics = oauth.send(oauth.request("/metrics").GET());
    assertThat(metrics.body())
        .containsPattern(
            "devicelogin_requests_total\\{[^}]*endpoint=\"token\"[^}]*"
                + "outcome=\"invalid_request\"[^}]*} [1-9]");
  }

  @Test
  void headOfTheMetadataAnswersWithoutABodyAndThePagesAreStillReached() {
    Response head =
        oauth.send(
            oauth
                .request("/.well-known/oauth-authorization-server")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    Response page = oauth.send(oauth.request("/device").GET());
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("<form");
  }
}
