package io.devicelogin.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.testing.ClockSleeper;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.wire.GrantType;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.Response;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 8414 metadata at {@code /.well-known/oauth-authorization-server} and OpenID Connect's {@code
 * /.well-known/openid-configuration}: the same document, with every endpoint, and our client
 * library discovers it.
 */
@ServerOnEachBackend
class MetadataEndpointTest {
  @ServerUnderTest private static TestServer server;
  @ServerUnderTest private static OAuthCalls oauth;

  private static JsonNode document(String path) {
    Response r = oauth.get(path);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    return r.json();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void bothWellKnownPathsServeTheSameDocumentWithEveryEndpoint() {
    JsonNode rfc8414 = document("/.well-known/oauth-authorization-server");
    JsonNode oidc = document("/.well-known/openid-configuration");
    assertThat(oidc).isEqualTo(rfc8414);
    String issuer = server.issuer();
    assertThat(rfc8414.path("issuer").asText()).isEqualTo(issuer);
    assertThat(rfc8414.path("device_authorization_endpoint").asText())
        .isEqualTo(issuer + "/oauth2/device_authorization");
    assertThat(rfc8414.path("token_endpoint").asText()).isEqualTo(issuer + "/oauth2/token");
    assertThat(rfc8414.path("revocation_endpoint").asText()).isEqualTo(issuer + "/oauth2/revoke");
    assertThat(rfc8414.path("introspection_endpoint").asText())
        .isEqualTo(issuer + "/oauth2/introspect");
    assertThat(rfc8414.path("userinfo_endpoint").asText()).isEqualTo(issuer + "/userinfo");
    assertThat(rfc8414.path("jwks_uri").asText()).isEqualTo(issuer + "/jwks");
    assertThat(strings(rfc8414.path("grant_types_supported")))
        .containsExactlyInAnyOrder(GrantType.DEVICE_CODE.value(), "refresh_token");
    assertThat(strings(rfc8414.path("scopes_supported")))
        .contains("openid", "profile", "email", "offline_access");
    assertThat(strings(rfc8414.path("introspection_endpoint_auth_methods_supported")))
        .doesNotContain("none");
  }

  @Test
  void everyAdvertisedEndpointAnswersAtItsAddress() {
    JsonNode doc = document("/.well-known/oauth-authorization-server");
    for (String member :
        List.of(
            "device_authorization_endpoint",
            "token_endpoint",
            "revocation_endpoint",
            "introspection_endpoint")) {
      URI uri = URI.create(doc.path(member).asText());
      Response r = oauth.post(uri.getPath(), "");
      assertThat(r.status()).as(member).isIn(400, 401);
      r.error();
    }
    assertThat(oauth.get(URI.create(doc.path("jwks_uri").asText()).getPath()).status())
        .isEqualTo(200);
    assertThat(oauth.get(URI.create(doc.path("userinfo_endpoint").asText()).getPath()).status())
        .isEqualTo(401);
  }

  @Test
  void ourClientLibraryDiscoversTheServerAndStartsADeviceAuthorization() {
    DeviceLogin login =
        DeviceLogin.builder()
            .issuer(URI.create(server.issuer()))
            .clientId(TestClients.CLI)
            .scope("openid", "profile")
            .clock(server.clock)
            .sleeper(new ClockSleeper(server.clock))
            .build();
    AuthorizationServerMetadata metadata = login.metadata();
    assertThat(metadata.issuer()).contains(URI.create(server.issuer()));
    assertThat(metadata.deviceAuthorizationEndpoint())
        .contains(URI.create(server.issuer() + "/oauth2/device_authorization"));
    assertThat(metadata.revocationEndpoint())
        .contains(URI.create(server.issuer() + "/oauth2/revoke"));
    assertThat(metadata.introspectionEndpoint())
        .contains(URI.create(server.issuer() + "/oauth2/introspect"));
    assertThat(metadata.userinfoEndpoint()).contains(URI.create(server.issuer() + "/userinfo"));
    assertThat(metadata.jwksUri()).contains(URI.create(server.issuer() + "/jwks"));

    DeviceAuthorization started = login.start();
    IssuedSecrets.register(started.deviceCode().revealForTransmission());
    assertThat(started.userCode()).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
    assertThat(server.pending(started.userCode()).clientId()).isEqualTo(TestClients.CLI);
  }
}
