package io.devicelogin.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.devicelogin.client.wire.Json;
import io.devicelogin.client.wire.Scope;
import io.devicelogin.client.wire.TokenResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** A secret never prints, and comes out only through the one method named for it. */
class SecretTest {
  private static final String RAW = "gho_16C7e42F292c6912E7710c838347Ae178B4a";

  @Test
  void toStringIsRedacted() {
    assertThat(Secret.of(RAW).toString()).isEqualTo("[REDACTED]");
    assertThat(String.valueOf(Secret.of(RAW))).doesNotContain(RAW);
    assertThat("token=" + Secret.of(RAW)).isEqualTo("token=[REDACTED]");
  }

  @Test
  void jacksonSerialisesTheRedactedForm() throws Exception {
    String json = new ObjectMapper().writeValueAsString(Map.of("access_token", Secret.of(RAW)));

    assertThat(json).isEqualTo("{\"access_token\":\"[REDACTED]\"}");
  }

  @Test
  void theRawValueComesOutOnlyWhenRevealedForTransmission() {
    assertThat(Secret.of(RAW).revealForTransmission()).isEqualTo(RAW);
    assertThat(Secret.of(RAW).length()).isEqualTo(RAW.length());
  }

  @Test
  void equalityComparesValues() {
    assertThat(Secret.of(RAW)).isEqualTo(Secret.of(new String(RAW.toCharArray())));
    assertThat(Secret.of(RAW)).isNotEqualTo(Secret.of(RAW + "x"));
    assertThat(Secret.of(RAW)).isNotEqualTo(RAW);
    assertThat(Secret.of(RAW).hashCode()).isEqualTo(Secret.of("other").hashCode());
  }

  @Property
  void equalityAgreesWithTheRawValues(
      @ForAll @StringLength(min = 1, max = 40) String a,
      @ForAll @StringLength(min = 1, max = 40) String b) {
    assertThat(Secret.of(a).equals(Secret.of(b))).isEqualTo(a.equals(b));
  }

  @Test
  void anEmptySecretIsRefused() {
    assertThatThrownBy(() -> Secret.of("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void noTypeHoldingSecretsPrintsThem() {
    TokenResponse response =
        new TokenResponse(
            Secret.of(RAW),
            "Bearer",
            Duration.ofMinutes(5),
            Secret.of(RAW + "r"),
            Scope.of("read"),
            Secret.of(RAW + "i"),
            Map.of());
    TokenSet tokens = TokenSet.from(response, Instant.EPOCH, Scope.of("read"));
    ClientIdentity client = ClientIdentity.withSecret("cli", Secret.of(RAW + "c"));

    assertThat(response.toString()).doesNotContain(RAW);
    assertThat(tokens.toString()).doesNotContain(RAW).contains("scope=read");
    assertThat(client.toString()).doesNotContain(RAW).contains("cli");
  }

  @Test
  void theTokenResponseKeepsUnknownMembersButNeverOnesNamedAsTokens() {
    TokenResponse parsed =
        TokenResponse.parse(
            Json.parseObject(
                """
        {"access_token":"a1","token_type":"bearer","scope":"repo,gist","user":{"id":"u1"},
         "session_token":"s1","refresh_token_expires_in":100,"authorization_code":"c1"}"""));

    assertThat(parsed.additional()).containsOnlyKeys("user", "refresh_token_expires_in");
    // The wire type reads RFC 6749 §3.3; GitHub's commas are its profile's to read.
    assertThat(parsed.scope()).contains(Scope.of("repo,gist"));
  }
}
