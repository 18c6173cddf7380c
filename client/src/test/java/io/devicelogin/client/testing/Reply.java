package io.devicelogin.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.devicelogin.client.wire.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the test server answers; {@link #dropConnection()} closes the connection instead. */
public record Reply(int status, Map<String, String> headers, String body, boolean drop) {

  public static Reply json(int status, JsonNode json) {
    return new Reply(status, Map.of("Content-Type", "application/json"), Json.write(json), false);
  }

  public static Reply json(int status, String json) {
    return new Reply(status, Map.of("Content-Type", "application/json"), json, false);
  }

  public static Reply oauthError(int status, String error) {
    return json(status, Json.newObject().put("error", error));
  }

  public static Reply text(int status, String contentType, String body) {
    return new Reply(status, Map.of("Content-Type", contentType), body, false);
  }

  public static Reply status(int status) {
    return new Reply(status, Map.of(), "", false);
  }

  /** Closes the connection without an answer: the client sees an I/O failure. */
  public static Reply dropConnection() {
    return new Reply(0, Map.of(), "", true);
  }

  public Reply withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new Reply(status, h, body, drop);
  }
}
