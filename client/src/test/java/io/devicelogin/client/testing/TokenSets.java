package io.devicelogin.client.testing;

import io.devicelogin.client.Secret;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.TokenType;
import io.devicelogin.client.wire.Scope;
import java.time.Instant;
import java.util.Map;

/** Token sets for tests, their secrets registered with {@link IssuedSecrets}. */
public final class TokenSets {
  private TokenSets() {}

  /** Only what a token set requires: a Bearer access token and when it was issued. */
  public static TokenSet accessTokenOnly(String accessToken, Instant issuedAt) {
    return new TokenSet(
        Secret.of(IssuedSecrets.register(accessToken)),
        null,
        null,
        TokenType.BEARER,
        issuedAt,
        null,
        Scope.empty(),
        Map.of());
  }
}
