package io.devicelogin.client;

import java.util.Locale;

/** How an access token is presented to a resource server. */
public enum TokenType {
  /** RFC 6750: {@code Authorization: Bearer …}. */
  BEARER("Bearer"),
  /** RFC 9449: {@code Authorization: DPoP …} with a proof of possession. */
  DPOP("DPoP");

  private final String scheme;

  TokenType(String scheme) {
    this.scheme = scheme;
  }

  /** The authorization scheme, spelt as the RFCs spell it. */
  public String scheme() {
    return scheme;
  }

  /**
   * Parses {@code token_type}, which is case-insensitive (RFC 6749 §5.1).
   *
   * @throws IllegalArgumentException for a type this library cannot use
   */
  public static TokenType parse(String tokenType) {
    return switch (tokenType.toLowerCase(Locale.ROOT)) {
      case "bearer" -> BEARER;
      case "dpop" -> DPOP;
      default -> throw new IllegalArgumentException("unsupported token_type");
    };
  }
}
