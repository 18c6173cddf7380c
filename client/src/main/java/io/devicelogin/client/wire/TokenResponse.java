package io.devicelogin.client.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.Secret;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** A successful access token response (RFC 6749 §5.1). */
public final class TokenResponse {
  private static final Set<String> KNOWN =
      Set.of("access_token", "token_type", "expires_in", "refresh_token", "scope", "id_token");

  private final Secret accessToken;
  private final String tokenType;
  private final Duration expiresIn;
  private final Secret refreshToken;
  private final Scope scope;
  private final Secret idToken;
  private final Map<String, JsonNode> additional;

  public TokenResponse(
      Secret accessToken,
      String tokenType,
      Duration expiresIn,
      Secret refreshToken,
      Scope scope,
      Secret idToken,
      Map<String, JsonNode> additional) {
    this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
    this.tokenType = Objects.requireNonNull(tokenType, "tokenType");
    this.expiresIn = expiresIn;
    this.refreshToken = refreshToken;
    this.scope = scope;
    this.idToken = idToken;
    this.additional = Collections.unmodifiableMap(new LinkedHashMap<>(additional));
  }

  /**
   * Parses a token response. A missing {@code token_type} is taken as {@code Bearer} (WorkOS omits
   * it). Members this type does not model are kept in {@link #additional()}, except any whose name
   * says it holds a token.
   */
  public static TokenResponse parse(JsonNode json) {
    Secret access = Json.requiredSecret(json, "access_token");
    String type = Json.optionalString(json, "token_type").orElse("Bearer");
    Duration expiresIn = Json.optionalSeconds(json, "expires_in").orElse(null);
    Secret refresh = Json.optionalSecret(json, "refresh_token").orElse(null);
    Scope scope = Json.optionalString(json, "scope").map(TokenResponse::scope).orElse(null);
    Secret idToken = Json.optionalSecret(json, "id_token").orElse(null);
    Map<String, JsonNode> additional = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (!KNOWN.contains(name) && !holdsSecret(name)) {
        additional.put(name, field.getValue());
      }
    }
    return new TokenResponse(access, type, expiresIn, refresh, scope, idToken, additional);
  }

  /** Member names that say they carry a token, code or secret are never kept. */
  private static boolean holdsSecret(String name) {
    return name.endsWith("_token")
        || name.endsWith("_code")
        || name.endsWith("_secret")
        || name.equals("token");
  }

  private static Scope scope(String text) {
    try {
      return Scope.parse(text);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("`scope` holds characters RFC 6749 §3.3 does not allow");
    }
  }

  /** The response as a server sends it; every token is revealed for transmission. */
  public ObjectNode toJson() {
    ObjectNode json =
        Json.newObject()
            .put("access_token", accessToken.revealForTransmission())
            .put("token_type", tokenType);
    expiresIn().ifPresent(d -> json.put("expires_in", d.toSeconds()));
    refreshToken().ifPresent(r -> json.put("refresh_token", r.revealForTransmission()));
    scope().ifPresent(s -> json.put("scope", s.format()));
    idToken().ifPresent(t -> json.put("id_token", t.revealForTransmission()));
    additional.forEach(json::set);
    return json;
  }

  public Secret accessToken() {
    return accessToken;
  }

  /** As the server spelt it, for example {@code Bearer}, {@code bearer} or {@code DPoP}. */
  public String tokenType() {
    return tokenType;
  }

  public Optional<Duration> expiresIn() {
    return Optional.ofNullable(expiresIn);
  }

  public Optional<Secret> refreshToken() {
    return Optional.ofNullable(refreshToken);
  }

  /** The granted scope; empty when the server did not say (then it equals the requested one). */
  public Optional<Scope> scope() {
    return Optional.ofNullable(scope);
  }

  public Optional<Secret> idToken() {
    return Optional.ofNullable(idToken);
  }

  /** Members with no field here, such as WorkOS's {@code user}; never a token. */
  public Map<String, JsonNode> additional() {
    return additional;
  }

  @Override
  public String toString() {
    return "TokenResponse[tokenType="
        + tokenType
        + ", expiresIn="
        + expiresIn
        + ", scope="
        + scope
        + ", refreshToken="
        + (refreshToken != null)
        + "]";
  }
}
