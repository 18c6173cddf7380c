package io.devicelogin.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.devicelogin.client.wire.Scope;
import io.devicelogin.client.wire.TokenResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tokens a login or a refresh produced, with absolute times. Its {@code toString} shows no
 * token.
 */
public final class TokenSet {
  private final Secret accessToken;
  private final Secret refreshToken;
  private final Secret idToken;
  private final TokenType tokenType;
  private final Instant issuedAt;
  private final Instant expiresAt;
  private final Scope scope;
  private final Map<String, JsonNode> additional;

  public TokenSet(
      Secret accessToken,
      Secret refreshToken,
      Secret idToken,
      TokenType tokenType,
      Instant issuedAt,
      Instant expiresAt,
      Scope scope,
      Map<String, JsonNode> additional) {
    this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
    this.refreshToken = refreshToken;
    this.idToken = idToken;
    this.tokenType = Objects.requireNonNull(tokenType, "tokenType");
    this.issuedAt = Objects.requireNonNull(issuedAt, "issuedAt");
    this.expiresAt = expiresAt;
    this.scope = Objects.requireNonNull(scope, "scope");
    this.additional = Collections.unmodifiableMap(new LinkedHashMap<>(additional));
  }

  /**
   * Builds a token set from a token response received at {@code receivedAt}. When the server did
   * not name the granted scope, it is the requested one (RFC 6749 §5.1).
   *
   * @throws IllegalArgumentException if the token type is neither Bearer nor DPoP
   */
  public static TokenSet from(TokenResponse response, Instant receivedAt, Scope requested) {
    Instant expiresAt = response.expiresIn().map(receivedAt::plus).orElse(null);
    return new TokenSet(
        response.accessToken(),
        response.refreshToken().orElse(null),
        response.idToken().orElse(null),
        TokenType.parse(response.tokenType()),
        receivedAt,
        expiresAt,
        response.scope().orElse(requested),
        response.additional());
  }

  /**
   * The set after a refresh: a response without a new refresh token keeps the old one (RFC 6749
   * §6), and a response without an ID token keeps the old one.
   */
  public TokenSet refreshedWith(TokenSet refreshed) {
    return new TokenSet(
        refreshed.accessToken,
        refreshed.refreshToken != null ? refreshed.refreshToken : refreshToken,
        refreshed.idToken != null ? refreshed.idToken : idToken,
        refreshed.tokenType,
        refreshed.issuedAt,
        refreshed.expiresAt,
        refreshed.scope,
        refreshed.additional.isEmpty() ? additional : refreshed.additional);
  }

  public Secret accessToken() {
    return accessToken;
  }

  public Optional<Secret> refreshToken() {
    return Optional.ofNullable(refreshToken);
  }

  public Optional<Secret> idToken() {
    return Optional.ofNullable(idToken);
  }

  public TokenType tokenType() {
    return tokenType;
  }

  public Instant issuedAt() {
    return issuedAt;
  }

  /** When the access token expires; empty when the server did not say. */
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  /** The granted scope. */
  public Scope scope() {
    return scope;
  }

  /** This set with the granted scope read otherwise, as a provider profile reads it. */
  public TokenSet withScope(Scope scope) {
    return scope.equals(this.scope)
        ? this
        : new TokenSet(
            accessToken, refreshToken, idToken, tokenType, issuedAt, expiresAt, scope, additional);
  }

  /** The same tokens with other provider-specific members, such as a subject a caller learnt. */
  public TokenSet withAdditional(Map<String, JsonNode> members) {
    return new TokenSet(
        accessToken, refreshToken, idToken, tokenType, issuedAt, expiresAt, scope, members);
  }

  /** Provider-specific members of the token response, such as WorkOS's {@code user}. */
  public Map<String, JsonNode> additional() {
    return additional;
  }

  /**
   * Whether the access token has expired, or will within {@code margin}, by {@code clock}. A token
   * without a known expiry is taken as valid.
   */
  public boolean expiresWithin(Duration margin, Clock clock) {
    return expiresAt != null && !clock.instant().plus(margin).isBefore(expiresAt);
  }

  @Override
  public String toString() {
    return "TokenSet[type="
        + tokenType.scheme()
        + ", scope="
        + scope.format()
        + ", expiresAt="
        + expiresAt
        + ", refreshToken="
        + (refreshToken != null ? Secret.REDACTED : "none")
        + "]";
  }
}
