package io.devicelogin.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Optional;

/**
 * What devicelogin needs of an upstream's discovery document (OpenID Connect Discovery 1.0 §3).
 * PKCE S256 is always used, whether or not the document lists it: many providers take it without
 * saying so.
 */
record ProviderMetadata(String issuer, URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri) {

  /**
   * The document's endpoints, if its {@code issuer} is exactly {@code expected} (§4.3: a document
   * naming another issuer is another provider's, the first step of a mix-up) and every endpoint is
   * an absolute http(s) URL.
   */
  static ProviderMetadata of(JsonNode doc, String expected) {
    String issuer = doc.path("issuer").asText("");
    if (!issuer.equals(expected)) {
      throw new IllegalArgumentException(
          "its discovery document names the issuer '" + issuer + "', not '" + expected + "'");
    }
    return new ProviderMetadata(
        issuer,
        endpoint(doc, "authorization_endpoint"),
        endpoint(doc, "token_endpoint"),
        endpoint(doc, "jwks_uri"));
  }

  private static URI endpoint(JsonNode doc, String member) {
    Optional<URI> uri =
        Optional.of(doc.path(member).asText(""))
            .filter(s -> s.startsWith("https://") || s.startsWith("http://"))
            .flatMap(
                s -> {
                  try {
                    return Optional.of(URI.create(s));
                  } catch (IllegalArgumentException e) {
                    return Optional.empty();
                  }
                })
            .filter(u -> u.getHost() != null && u.getRawFragment() == null);
    return uri.orElseThrow(
        () ->
            new IllegalArgumentException(
                "its discovery document has no usable " + member + " (an absolute URL)"));
  }
}
