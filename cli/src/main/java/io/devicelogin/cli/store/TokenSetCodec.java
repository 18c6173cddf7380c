package io.devicelogin.cli.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.Secret;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.TokenType;
import io.devicelogin.client.wire.Json;
import io.devicelogin.client.wire.Scope;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link TokenSet} as the JSON a token store keeps, and back. The only place where the CLI puts
 * raw token values into bytes: those bytes go straight into a store's transport (the stdin of
 * {@code secret-tool}, the agent's socket) and nowhere else, never into a log or a message.
 *
 * <p>Format, version 1 (every member except the optional ones always present):
 *
 * <pre>{@code
 * {"v":1,"access_token":"…","refresh_token":"…","id_token":"…","token_type":"Bearer",
 *  "issued_at":"2026-01-01T00:00:00Z","expires_at":"2026-01-01T00:10:00Z",
 *  "scope":["read","write"],"additional":{…}}
 * }</pre>
 *
 * Times are ISO-8601 instants with full precision, scopes keep their order, and {@code additional}
 * keeps the provider's members as they came, so that decoding an encoding gives back an equal token
 * set.
 */
public final class TokenSetCodec {
  /** The format version this code writes and the only one it reads. */
  public static final int VERSION = 1;

  private TokenSetCodec() {}

  /** The JSON tree of a token set, with the raw token values in it. */
  public static ObjectNode toJson(TokenSet tokens) {
    ObjectNode json = Json.newObject();
    json.put("v", VERSION);
    json.put("access_token", tokens.accessToken().revealForTransmission());
    tokens.refreshToken().ifPresent(s -> json.put("refresh_token", s.revealForTransmission()));
    tokens.idToken().ifPresent(s -> json.put("id_token", s.revealForTransmission()));
    json.put("token_type", tokens.tokenType().scheme());
    json.put("issued_at", tokens.issuedAt().toString());
    tokens.expiresAt().ifPresent(t -> json.put("expires_at", t.toString()));
    ArrayNode scope = json.putArray("scope");
    tokens.scope().forEach(scope::add);
    ObjectNode additional = json.putObject("additional");
    tokens.additional().forEach((name, value) -> additional.set(name, value.deepCopy()));
    return json;
  }

  /** UTF-8 JSON bytes; the caller should overwrite them once they are handed over. */
  public static byte[] encode(TokenSet tokens) {
    return Json.writeBytes(toJson(tokens));
  }

  /**
   * Reads what {@link #encode} wrote.
   *
   * @throws UnreadableTokensException if the bytes are not a version-1 token set; the message says
   *     what is wrong but never shows a value
   */
  public static TokenSet decode(byte[] bytes) {
    JsonNode json;
    try {
      json = Json.readTree(bytes);
    } catch (IOException e) {
      throw new UnreadableTokensException("the stored tokens are not JSON");
    }
    return fromJson(json);
  }

  /** Reads the tree that {@link #toJson} made. */
  public static TokenSet fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new UnreadableTokensException("the stored tokens are not a JSON object");
    }
    JsonNode version = json.get("v");
    if (version == null || !version.isInt()) {
      throw new UnreadableTokensException("the stored tokens have no format version");
    }
    if (version.intValue() != VERSION) {
      throw new UnreadableTokensException(
          "the stored tokens are in format v"
              + version.intValue()
              + ", which this devicelogin (v"
              + VERSION
              + ") cannot read");
    }
    Secret access = secret(json, "access_token", true);
    Secret refresh = secret(json, "refresh_token", false);
    Secret id = secret(json, "id_token", false);
    TokenType type;
    try {
      type = TokenType.parse(text(json, "token_type", true));
    } catch (IllegalArgumentException e) {
      throw new UnreadableTokensException("the stored token_type is not Bearer or DPoP");
    }
    Instant issuedAt = instant(json, "issued_at", true);
    Instant expiresAt = instant(json, "expires_at", false);
    List<String> scope = new ArrayList<>();
    JsonNode scopes = json.get("scope");
    if (scopes == null || !scopes.isArray()) {
      throw new UnreadableTokensException("the stored `scope` is not a list");
    }
    for (JsonNode s : scopes) {
      if (!s.isTextual()) {
        throw new UnreadableTokensException(
            "the stored `scope` holds something that is not a string");
      }
      scope.add(s.textValue());
    }
    Map<String, JsonNode> additional = new LinkedHashMap<>();
    JsonNode extra = json.get("additional");
    if (extra != null && !extra.isNull()) {
      if (!extra.isObject()) {
        throw new UnreadableTokensException("the stored `additional` is not an object");
      }
      for (Map.Entry<String, JsonNode> member : extra.properties()) {
        additional.put(member.getKey(), member.getValue().deepCopy());
      }
    }
    Scope granted;
    try {
      granted = Scope.of(scope);
    } catch (IllegalArgumentException e) {
      throw new UnreadableTokensException("the stored `scope` holds something that is not a scope");
    }
    return new TokenSet(access, refresh, id, type, issuedAt, expiresAt, granted, additional);
  }

  private static String text(JsonNode json, String name, boolean required) {
    JsonNode value = json.get(name);
    if (value == null || value.isNull()) {
      if (required) {
        throw new UnreadableTokensException("the stored tokens have no `" + name + "`");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw new UnreadableTokensException("the stored `" + name + "` is not a string");
    }
    return value.textValue();
  }

  private static Secret secret(JsonNode json, String name, boolean required) {
    String value = text(json, name, required);
    if (value == null) {
      return null;
    }
    if (value.isEmpty()) {
      throw new UnreadableTokensException("the stored `" + name + "` is empty");
    }
    return Secret.of(value);
  }

  private static Instant instant(JsonNode json, String name, boolean required) {
    String value = text(json, name, required);
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new UnreadableTokensException("the stored `" + name + "` is not an ISO-8601 instant");
    }
  }
}
