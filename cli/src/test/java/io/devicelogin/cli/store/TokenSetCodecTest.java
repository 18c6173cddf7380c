package io.devicelogin.cli.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.client.wire.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The stored form of a token set: exact round trips, a version, and errors that show no value. */
@ExtendWith(NoSecretsInOutput.class)
class TokenSetCodecTest {

  @Test
  void everyMemberSurvivesARoundTripExactly() {
    TokenSet tokens = TestTokens.full();
    TokenSet back = TokenSetCodec.decode(TokenSetCodec.encode(tokens));
    TestTokens.assertSame(back, tokens);
    assertThat(back.scope().tokens()).containsExactly("write", "openid", "read");
    assertThat(back.issuedAt().getNano()).isEqualTo(123456789);
  }

  @Test
  void aMinimalSetSurvivesARoundTrip() {
    TokenSet tokens = TestTokens.minimal();
    TokenSet back = TokenSetCodec.decode(TokenSetCodec.encode(tokens));
    TestTokens.assertSame(back, tokens);
    assertThat(back.refreshToken()).isEmpty();
    assertThat(back.idToken()).isEmpty();
    assertThat(back.expiresAt()).isEmpty();
  }

  @Test
  void theFormatIsVersionedAndNamesItsMembers() throws Exception {
    JsonNode json = Json.mapper().readTree(TokenSetCodec.encode(TestTokens.full()));
    assertThat(json.get("v").intValue()).isEqualTo(1);
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly(
            "v",
            "access_token",
            "refresh_token",
            "id_token",
            "token_type",
            "issued_at",
            "expires_at",
            "scope",
            "additional");
    assertThat(json.get("token_type").textValue()).isEqualTo("DPoP");
    assertThat(json.get("issued_at").textValue()).isEqualTo("2026-01-01T00:00:00.123456789Z");
  }

  @Test
  void anotherVersionIsRefusedByName() {
    ObjectNode json = TokenSetCodec.toJson(TestTokens.minimal()).put("v", 2);
    assertThatThrownBy(() -> TokenSetCodec.fromJson(json))
        .isInstanceOf(UnreadableTokensException.class)
        .hasMessageContaining("format v2");
  }

  @Test
  void damagedInputIsRefusedWithoutShowingAnyValue() {
    TokenSet tokens = TestTokens.full();
    String access = tokens.accessToken().revealForTransmission();
    ObjectNode wrongType = TokenSetCodec.toJson(tokens);
    wrongType.put("issued_at", access);
    ObjectNode noAccess = TokenSetCodec.toJson(tokens);
    noAccess.remove("access_token");
    ObjectNode numberToken = TokenSetCodec.toJson(tokens);
    numberToken.put("refresh_token", 42);

    assertThatThrownBy(
            () ->
                TokenSetCodec.decode(
                    ("{\"v\":1,\"access_token\":\"" + access).getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(UnreadableTokensException.class)
        .hasMessage("the stored tokens are not JSON");
    assertThatThrownBy(() -> TokenSetCodec.fromJson(wrongType))
        .isInstanceOf(UnreadableTokensException.class)
        .hasMessageContaining("issued_at")
        .hasMessageNotContaining(access);
    assertThatThrownBy(() -> TokenSetCodec.fromJson(noAccess))
        .isInstanceOf(UnreadableTokensException.class)
        .hasMessageContaining("access_token");
    assertThatThrownBy(() -> TokenSetCodec.fromJson(numberToken))
        .isInstanceOf(UnreadableTokensException.class)
        .hasMessageContaining("refresh_token");
    assertThatThrownBy(() -> TokenSetCodec.decode("[]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(UnreadableTokensException.class)
        .hasMessageContaining("not a JSON object");
  }
}
