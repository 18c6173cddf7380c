package io.devicelogin.client.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.DiscoveryException;
import io.devicelogin.client.http.SecureUris;
import io.devicelogin.client.testing.ManualClock;
import io.devicelogin.client.testing.RecordedRequest;
import io.devicelogin.client.testing.RecordingHttpServer;
import io.devicelogin.client.testing.Reply;
import io.devicelogin.client.wire.Json;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Discovery from an issuer identifier: RFC 8414 §3, then OpenID Connect Discovery. */
class MetadataDiscoveryTest {
  private final RecordingHttpServer server = RecordingHttpServer.start(ManualClock.atEpochOf2026());

  @AfterEach
  void stop() {
    server.close();
  }

  private String metadata(String issuer, boolean withDevice) {
    var json =
        Json.newObject()
            .put("issuer", issuer)
            .put("token_endpoint", issuer + "/oauth2/token")
            .put("revocation_endpoint", issuer + "/oauth2/revoke");
    if (withDevice) {
      json.put("device_authorization_endpoint", issuer + "/oauth2/device_authorization");
    }
    return Json.write(json);
  }

  private AuthorizationServerMetadata discover(URI issuer) {
    return DeviceLogin.builder().issuer(issuer).clientId("cli").build().metadata();
  }

  @Test
  void aPlainHttpIssuerOnAnotherHostIsRefusedBeforeAnyRequest() {
    assertThatThrownBy(() -> discover(URI.create("http://login.example.com")))
        .isInstanceOf(DiscoveryException.class)
        .hasMessageContaining("must use https")
        .hasMessageContaining("http://login.example.com");
  }

  @Test
  void metadataNamingAPlainHttpEndpointOnAnotherHostIsRefused() {
    // The issuer is a loopback test server, but its document sends the tokens elsewhere in clear.
    String issuer = server.uri("").toString();
    server.on(
        "/.well-known/oauth-authorization-server",
        r ->
            Reply.json(
                200,
                Json.write(
                    Json.newObject()
                        .put("issuer", issuer)
                        .put(
                            "device_authorization_endpoint",
                            issuer + "/oauth2/device_authorization")
                        .put("token_endpoint", "http://tokens.example.com/oauth2/token"))));

    assertThatThrownBy(() -> discover(URI.create(issuer)))
        .isInstanceOf(DiscoveryException.class)
        .hasMessageContaining("the token endpoint must use https");
  }

  @Test
  void httpsIssuersAndPlainHttpToLoopbackAreAccepted() {
    for (String ok :
        new String[] {
          "https://login.example.com",
          "http://localhost:8080",
          "http://127.0.0.1:1",
          "http://[::1]:8080"
        }) {
      assertThat(SecureUris.acceptable(URI.create(ok))).as(ok).isTrue();
    }
    for (String bad :
        new String[] {
          "http://login.example.com",
          "http://10.0.0.5:8080",
          "ftp://localhost",
          "http://localhost.example.com"
        }) {
      assertThat(SecureUris.acceptable(URI.create(bad))).as(bad).isFalse();
    }
  }

  @Test
  void theRfc8414DocumentIsTriedFirst() {
    String issuer = server.uri("").toString();
    server.on(
        "/.well-known/oauth-authorization-server", r -> Reply.json(200, metadata(issuer, true)));

    AuthorizationServerMetadata m = discover(URI.create(issuer));

    assertThat(m.deviceAuthorizationEndpoint())
        .contains(URI.create(issuer + "/oauth2/device_authorization"));
    assertThat(m.tokenEndpoint()).isEqualTo(URI.create(issuer + "/oauth2/token"));
    assertThat(m.revocationEndpoint()).contains(URI.create(issuer + "/oauth2/revoke"));
    assertThat(server.requests())
        .extracting(RecordedRequest::path)
        .containsExactly("/.well-known/oauth-authorization-server");
  }

  @Test
  void openIdConfigurationIsTheFallback() {
    String issuer = server.uri("").toString();
    server.on("/.well-known/openid-configuration", r -> Reply.json(200, metadata(issuer, true)));

    discover(URI.create(issuer));

    assertThat(server.requests())
        .extracting(RecordedRequest::path)
        .containsExactly(
            "/.well-known/oauth-authorization-server", "/.well-known/openid-configuration");
  }

  @Test
  void anIssuerWithAPathHasTheWellKnownSegmentInsertedBeforeIt() {
    String issuer = server.uri("/tenants/acme").toString();
    server.on(
        "/.well-known/oauth-authorization-server/tenants/acme",
        r -> Reply.json(200, metadata(issuer, true)));

    discover(URI.create(issuer));

    assertThat(server.requests())
        .extracting(RecordedRequest::path)
        .containsExactly("/.well-known/oauth-authorization-server/tenants/acme");
  }

  @Test
  void anIssuerWithAPathFallsBackToTheOpenIdLocationAppendedToIt() {
    String issuer = server.uri("/realms/dev").toString();
    server.on(
        "/realms/dev/.well-known/openid-configuration",
        r -> Reply.json(200, metadata(issuer, true)));

    discover(URI.create(issuer));

    assertThat(server.requests())
        .extracting(RecordedRequest::path)
        .containsExactly(
            "/.well-known/oauth-authorization-server/realms/dev",
            "/realms/dev/.well-known/openid-configuration");
  }

  @Test
  void aDocumentNamingAnotherIssuerIsRefused() {
    String issuer = server.uri("").toString();
    server.on(
        "/.well-known/oauth-authorization-server",
        r -> Reply.json(200, metadata("https://attacker.example", true)));

    assertThatThrownBy(() -> discover(URI.create(issuer)))
        .isInstanceOf(DiscoveryException.class)
        .hasMessageContaining("names the issuer https://attacker.example, not " + issuer);
  }

  @Test
  void aTrailingSlashOnTheIssuerAskedForIsTolerated() {
    String issuer = server.uri("").toString();
    server.on(
        "/.well-known/oauth-authorization-server", r -> Reply.json(200, metadata(issuer, true)));

    assertThat(discover(URI.create(issuer + "/")).issuer()).contains(URI.create(issuer));
  }

  @Test
  void aServerWithoutADeviceEndpointGetsAnErrorNamingTheIssuer() {
    String issuer = server.uri("").toString();
    server.on(
        "/.well-known/oauth-authorization-server", r -> Reply.json(200, metadata(issuer, false)));

    assertThatThrownBy(() -> discover(URI.create(issuer)))
        .isInstanceOfSatisfying(
            DiscoveryException.class, e -> assertThat(e.issuer()).isEqualTo(URI.create(issuer)))
        .hasMessage(
            issuer
                + " does not support the device authorization grant: its metadata has no"
                + " device_authorization_endpoint");
  }

  @Test
  void noDocumentAnywhereListsWhereItLooked() {
    String issuer = server.uri("").toString();

    assertThatThrownBy(() -> discover(URI.create(issuer)))
        .isInstanceOf(DiscoveryException.class)
        .hasMessageContaining("no authorization server metadata found for " + issuer)
        .hasMessageContaining("/.well-known/oauth-authorization-server (HTTP 404)")
        .hasMessageContaining("/.well-known/openid-configuration (HTTP 404)");
  }

  @Test
  void aDocumentThatIsNotJsonIsUnusable() {
    String issuer = server.uri("").toString();
    server.on(
        "/.well-known/oauth-authorization-server", r -> Reply.text(200, "text/html", "<html/>"));

    assertThatThrownBy(() -> discover(URI.create(issuer)))
        .isInstanceOf(DiscoveryException.class)
        .hasMessageContaining("unusable")
        .hasMessageContaining("expected a JSON object");
  }

  @Test
  void explicitEndpointsNeedNoDiscovery() {
    AuthorizationServerMetadata given =
        AuthorizationServerMetadata.builder(server.uri("/token"))
            .deviceAuthorizationEndpoint(server.uri("/device"))
            .build();

    AuthorizationServerMetadata m =
        DeviceLogin.builder().metadata(given).clientId("cli").build().metadata();

    assertThat(m).isSameAs(given);
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void theMetadataRoundTripsThroughItsJsonForm() {
    AuthorizationServerMetadata m =
        AuthorizationServerMetadata.parse(
            Json.parseObject(metadata("https://id.example.com", true)));

    assertThat(AuthorizationServerMetadata.parse(m.toJson()).toJson()).isEqualTo(m.toJson());
  }
}
