package io.devicelogin.client.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.wire.Json;
import io.devicelogin.client.wire.MalformedMessageException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The endpoints of an authorization server (RFC 8414 §2), as discovered or as given. Only the
 * members the device flow and its token lifecycle use are modelled.
 */
public final class AuthorizationServerMetadata {
  private final URI issuer;
  private final URI deviceAuthorizationEndpoint;
  private final URI tokenEndpoint;
  private final URI revocationEndpoint;
  private final URI introspectionEndpoint;
  private final URI userinfoEndpoint;
  private final URI jwksUri;
  private final List<String> scopesSupported;
  private final List<String> grantTypesSupported;

  private AuthorizationServerMetadata(Builder b) {
    this.issuer = b.issuer;
    this.deviceAuthorizationEndpoint = b.deviceAuthorizationEndpoint;
    this.tokenEndpoint = Objects.requireNonNull(b.tokenEndpoint, "tokenEndpoint");
    this.revocationEndpoint = b.revocationEndpoint;
    this.introspectionEndpoint = b.introspectionEndpoint;
    this.userinfoEndpoint = b.userinfoEndpoint;
    this.jwksUri = b.jwksUri;
    this.scopesSupported = Collections.unmodifiableList(new ArrayList<>(b.scopesSupported));
    this.grantTypesSupported = Collections.unmodifiableList(new ArrayList<>(b.grantTypesSupported));
  }

  /** Endpoints given explicitly, for a server that publishes no metadata. */
  public static Builder builder(URI tokenEndpoint) {
    return new Builder().tokenEndpoint(tokenEndpoint);
  }

  /**
   * Parses a metadata document. {@code issuer} and {@code token_endpoint} are required; whether the
   * device flow is possible is for the caller to check ({@link #deviceAuthorizationEndpoint()}).
   */
  public static AuthorizationServerMetadata parse(JsonNode json) {
    Builder b = new Builder();
    b.issuer = Json.requiredWebUri(json, "issuer");
    b.tokenEndpoint = Json.requiredWebUri(json, "token_endpoint");
    b.deviceAuthorizationEndpoint =
        Json.optionalWebUri(json, "device_authorization_endpoint").orElse(null);
    b.revocationEndpoint = Json.optionalWebUri(json, "revocation_endpoint").orElse(null);
    b.introspectionEndpoint = Json.optionalWebUri(json, "introspection_endpoint").orElse(null);
    b.userinfoEndpoint = Json.optionalWebUri(json, "userinfo_endpoint").orElse(null);
    b.jwksUri = Json.optionalWebUri(json, "jwks_uri").orElse(null);
    b.scopesSupported = strings(json, "scopes_supported");
    b.grantTypesSupported = strings(json, "grant_types_supported");
    return b.build();
  }

  /** The document as a server publishes it. */
  public ObjectNode toJson() {
    ObjectNode json = Json.newObject();
    Json.putIfPresent(json, "issuer", issuer());
    Json.putIfPresent(json, "device_authorization_endpoint", deviceAuthorizationEndpoint());
    json.put("token_endpoint", tokenEndpoint.toString());
    Json.putIfPresent(json, "revocation_endpoint", revocationEndpoint());
    Json.putIfPresent(json, "introspection_endpoint", introspectionEndpoint());
    Json.putIfPresent(json, "userinfo_endpoint", userinfoEndpoint());
    Json.putIfPresent(json, "jwks_uri", jwksUri());
    if (!scopesSupported.isEmpty()) {
      ArrayNode scopes = json.putArray("scopes_supported");
      scopesSupported.forEach(scopes::add);
    }
    if (!grantTypesSupported.isEmpty()) {
      ArrayNode grants = json.putArray("grant_types_supported");
      grantTypesSupported.forEach(grants::add);
    }
    return json;
  }

  private static List<String> strings(JsonNode json, String name) {
    JsonNode value = json.get(name);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new MalformedMessageException("`" + name + "` is not an array");
    }
    List<String> result = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw new MalformedMessageException("`" + name + "` holds a non-string");
      }
      result.add(item.asText());
    }
    return result;
  }

  /** The issuer identifier; empty for endpoints given without one. */
  public Optional<URI> issuer() {
    return Optional.ofNullable(issuer);
  }

  public Optional<URI> deviceAuthorizationEndpoint() {
    return Optional.ofNullable(deviceAuthorizationEndpoint);
  }

  public URI tokenEndpoint() {
    return tokenEndpoint;
  }

  public Optional<URI> revocationEndpoint() {
    return Optional.ofNullable(revocationEndpoint);
  }

  public Optional<URI> introspectionEndpoint() {
    return Optional.ofNullable(introspectionEndpoint);
  }

  public Optional<URI> userinfoEndpoint() {
    return Optional.ofNullable(userinfoEndpoint);
  }

  public Optional<URI> jwksUri() {
    return Optional.ofNullable(jwksUri);
  }

  public List<String> scopesSupported() {
    return scopesSupported;
  }

  public List<String> grantTypesSupported() {
    return grantTypesSupported;
  }

  @Override
  public String toString() {
    return "AuthorizationServerMetadata" + toJson();
  }

  /** Endpoints given explicitly. */
  public static final class Builder {
    private URI issuer;
    private URI deviceAuthorizationEndpoint;
    private URI tokenEndpoint;
    private URI revocationEndpoint;
    private URI introspectionEndpoint;
    private URI userinfoEndpoint;
    private URI jwksUri;
    private List<String> scopesSupported = List.of();
    private List<String> grantTypesSupported = List.of();

    private Builder() {}

    public Builder issuer(URI issuer) {
      this.issuer = issuer;
      return this;
    }

    public Builder deviceAuthorizationEndpoint(URI uri) {
      this.deviceAuthorizationEndpoint = uri;
      return this;
    }

    public Builder tokenEndpoint(URI uri) {
      this.tokenEndpoint = uri;
      return this;
    }

    public Builder revocationEndpoint(URI uri) {
      this.revocationEndpoint = uri;
      return this;
    }

    public Builder introspectionEndpoint(URI uri) {
      this.introspectionEndpoint = uri;
      return this;
    }

    public Builder userinfoEndpoint(URI uri) {
      this.userinfoEndpoint = uri;
      return this;
    }

    public Builder jwksUri(URI uri) {
      this.jwksUri = uri;
      return this;
    }

    public Builder scopesSupported(List<String> scopes) {
      this.scopesSupported = List.copyOf(scopes);
      return this;
    }

    public Builder grantTypesSupported(List<String> grantTypes) {
      this.grantTypesSupported = List.copyOf(grantTypes);
      return this;
    }

    public AuthorizationServerMetadata build() {
      return new AuthorizationServerMetadata(this);
    }
  }
}
