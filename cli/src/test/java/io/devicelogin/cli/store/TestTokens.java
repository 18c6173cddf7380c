package io.devicelogin.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.devicelogin.client.Secret;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.TokenType;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.TokenSets;
import io.devicelogin.client.wire.Json;
import io.devicelogin.client.wire.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Token sets for store tests; every token value is fresh and registered with {@link IssuedSecrets}.
 */
public final class TestTokens {
  private TestTokens() {}

  /** Every member set: access, refresh and ID tokens, nanosecond times, ordered scopes, extras. */
  public static TokenSet full() {
    Map<String, JsonNode> additional = new LinkedHashMap<>();
    additional.put(
        "user",
        Json.newObject()
            .put("id", "user_01")
            .put("email", "ada@example.com")
            .set("roles", Json.mapper().createArrayNode().add("admin").add(7)));
    additional.put("refresh_token_expires_in", Json.mapper().getNodeFactory().numberNode(86400));
    return new TokenSet(
        Secret.of(IssuedSecrets.fresh("at-")),
        Secret.of(IssuedSecrets.fresh("rt-")),
        Secret.of(IssuedSecrets.fresh("id-")),
        TokenType.DPOP,
        Instant.parse("2026-01-01T00:00:00.123456789Z"),
        Instant.parse("2026-01-01T00:10:00.123456789Z"),
        Scope.of("write", "openid", "read"),
        additional);
  }

  /** Only what is required: an access token, its type and issue time. */
  public static TokenSet minimal() {
    return TokenSets.accessTokenOnly(
        IssuedSecrets.fresh("at-"), Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** Only an access token, {@code length} characters long: more than one keyring item holds. */
  public static TokenSet large(int length) {
    return TokenSets.accessTokenOnly("at-" + "A".repeat(length), Instant.EPOCH);
  }

  /** The raw token values of a set, to look for where they must not be. */
  public static List<String> values(TokenSet tokens) {
    List<String> values = new ArrayList<>();
    values.add(tokens.accessToken().revealForTransmission());
    tokens.refreshToken().ifPresent(s -> values.add(s.revealForTransmission()));
    tokens.idToken().ifPresent(s -> values.add(s.revealForTransmission()));
    return values;
  }

  /** Whether two token sets are equal member by member (TokenSet has no equals of its own). */
  public static void assertSame(TokenSet actual, TokenSet expected) {
    assertThat(actual.accessToken()).isEqualTo(expected.accessToken());
    assertThat(actual.refreshToken()).isEqualTo(expected.refreshToken());
    assertThat(actual.idToken()).isEqualTo(expected.idToken());
    assertThat(actual.tokenType()).isEqualTo(expected.tokenType());
    assertThat(actual.issuedAt()).isEqualTo(expected.issuedAt());
    assertThat(actual.expiresAt()).isEqualTo(expected.expiresAt());
    assertThat(actual.scope().tokens()).isEqualTo(expected.scope().tokens());
    assertThat(actual.additional()).isEqualTo(expected.additional());
  }
}
