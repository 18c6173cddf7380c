package io.devicelogin.client.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.Secret;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/** An OAuth error response (RFC 6749 §5.2, RFC 8628 §3.5). */
public final class OAuthError {
  public static final String AUTHORIZATION_PENDING = "authorization_pending";
  public static final String SLOW_DOWN = "slow_down";
  public static final String ACCESS_DENIED = "access_denied";
  public static final String EXPIRED_TOKEN = "expired_token";
  public static final String INVALID_REQUEST = "invalid_request";
  public static final String INVALID_CLIENT = "invalid_client";
  public static final String INVALID_GRANT = "invalid_grant";
  public static final String INVALID_SCOPE = "invalid_scope";
  public static final String UNAUTHORIZED_CLIENT = "unauthorized_client";
  public static final String UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type";
  public static final String SERVER_ERROR = "server_error";
  public static final String TEMPORARILY_UNAVAILABLE = "temporarily_unavailable";

  private final String code;
  private final String description;
  private final URI uri;

  /** The RFC's name for {@link #code}: the same, unless a provider profile said otherwise. */
  private final String meaning;

  public OAuthError(String code, String description, URI uri) {
    this(code, description, uri, code);
  }

  private OAuthError(String code, String description, URI uri, String meaning) {
    this.code = Objects.requireNonNull(code, "code");
    this.description = description;
    this.uri = uri;
    this.meaning = Objects.requireNonNull(meaning, "meaning");
  }

  /** Whether a JSON object is an error response: it has an {@code error} member. */
  public static boolean isError(JsonNode json) {
    JsonNode error = json.get("error");
    return error != null && error.isTextual() && !error.asText().isEmpty();
  }

  public static OAuthError parse(JsonNode json) {
    String code = Json.requiredString(json, "error");
    String description = Json.optionalString(json, "error_description").orElse(null);
    URI uri = null;
    Optional<String> uriText = Json.optionalString(json, "error_uri");
    if (uriText.isPresent()) {
      try {
        uri = Json.webUri(uriText.get(), "error_uri");
      } catch (MalformedMessageException ignored) {
        // error_uri is informative only; a bad one must not hide the error itself.
      }
    }
    return new OAuthError(code, description, uri);
  }

  public ObjectNode toJson() {
    ObjectNode json = Json.newObject().put("error", code);
    Json.putIfPresent(json, "error_description", description());
    Json.putIfPresent(json, "error_uri", uri());
    return json;
  }

  public String code() {
    return code;
  }

  /**
   * This error, understood as the RFC's {@code standardCode}: how a provider profile says that its
   * own name (Entra's {@code authorization_declined}) means a standard one ({@code access_denied}).
   * The code as sent stays what {@link #code()} and {@link #toJson()} give.
   */
  public OAuthError understoodAs(String standardCode) {
    return new OAuthError(code, description, uri, standardCode);
  }

  /** {@code access_denied}, or what a provider profile understood as it. */
  public boolean isAccessDenied() {
    return ACCESS_DENIED.equals(meaning);
  }

  /** {@code expired_token}, or what a provider profile understood as it. */
  public boolean isExpiredToken() {
    return EXPIRED_TOKEN.equals(meaning);
  }

  /**
   * This error with every occurrence of the given secrets in its description replaced by {@link
   * Secret#REDACTED}: some servers echo the code or token they refused.
   */
  public OAuthError redacting(Secret... secrets) {
    if (description == null) {
      return this;
    }
    String text = description;
    for (Secret secret : secrets) {
      if (secret != null) {
        text = text.replace(secret.revealForTransmission(), Secret.REDACTED);
      }
    }
    return text.equals(description) ? this : new OAuthError(code, text, uri, meaning);
  }

  public Optional<String> description() {
    return Optional.ofNullable(description);
  }

  public Optional<URI> uri() {
    return Optional.ofNullable(uri);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OAuthError other
        && code.equals(other.code)
        && Objects.equals(description, other.description)
        && Objects.equals(uri, other.uri)
        && meaning.equals(other.meaning);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, description, uri, meaning);
  }

  @Override
  public String toString() {
    return description == null ? code : code + ": " + description;
  }
}
