package io.devicelogin.server.oauth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.wire.GrantType;
import io.devicelogin.client.wire.Json;
import io.devicelogin.server.policy.ClientRegistry;
import io.devicelogin.server.protocol.OAuthExchange;
import java.net.URI;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code GET /.well-known/oauth-authorization-server} (RFC 8414) and {@code
 * /.well-known/openid-configuration}: the same document.
 */
public final class MetadataEndpoint {
  private final ObjectNode document;

  public MetadataEndpoint(String issuer, ClientRegistry clients) {
    TreeSet<String> scopes = new TreeSet<>();
    clients.all().forEach(c -> scopes.addAll(c.allowedScopes().tokens()));
    AuthorizationServerMetadata metadata =
        AuthorizationServerMetadata.builder(URI.create(issuer + "/oauth2/token"))
            .issuer(URI.create(issuer))
            .deviceAuthorizationEndpoint(URI.create(issuer + "/oauth2/device_authorization"))
            .revocationEndpoint(URI.create(issuer + "/oauth2/revoke"))
            .introspectionEndpoint(URI.create(issuer + "/oauth2/introspect"))
            .userinfoEndpoint(URI.create(issuer + "/userinfo"))
            .jwksUri(URI.create(issuer + "/jwks"))
            .scopesSupported(List.copyOf(scopes))
            .grantTypesSupported(
                List.of(GrantType.DEVICE_CODE.value(), GrantType.REFRESH_TOKEN.value()))
            .build();
    ObjectNode json = metadata.toJson();
    ArrayNode auth = json.putArray("token_endpoint_auth_methods_supported");
    auth.add("none").add("client_secret_basic").add("client_secret_post");
    json.putArray("revocation_endpoint_auth_methods_supported")
        .add("none")
        .add("client_secret_basic")
        .add("client_secret_post");
    json.putArray("introspection_endpoint_auth_methods_supported")
        .add("client_secret_basic")
        .add("client_secret_post");
    json.putArray("response_types_supported");
    json.putArray("subject_types_supported").add("public");
    json.putArray("id_token_signing_alg_values_supported").add("ES256");
    this.document = json;
  }

  public void handle(OAuthExchange ctx) {
    ctx.header("Cache-Control", "public, max-age=300");
    ctx.contentType("application/json;charset=utf-8");
    ctx.result(Json.write(document));
  }
}
