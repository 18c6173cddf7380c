package io.devicelogin.client.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

/**
 * Reading and writing the JSON members of OAuth messages. Values are checked for their type, and a
 * problem names the member but never echoes its value (it may be a secret).
 */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** The shared, thread-safe mapper. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Parses a JSON object, or says why the text is not one. */
  public static ObjectNode parseObject(String text) {
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new MalformedMessageException("the body is not JSON");
    }
    if (node == null || !node.isObject()) {
      throw new MalformedMessageException("the body is not a JSON object");
    }
    return (ObjectNode) node;
  }

  public static ObjectNode newObject() {
    return MAPPER.createObjectNode();
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  public static Optional<String> optionalString(JsonNode json, String name) {
    JsonNode value = json.get(name);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new MalformedMessageException("`" + name + "` is not a string");
    }
    return value.asText().isEmpty() ? Optional.empty() : Optional.of(value.asText());
  }

  public static String requiredString(JsonNode json, String name) {
    return optionalString(json, name)
        .orElseThrow(() -> new MalformedMessageException("`" + name + "` is missing"));
  }

  public static Optional<Secret> optionalSecret(JsonNode json, String name) {
    return optionalString(json, name).map(Secret::of);
  }

  public static Secret requiredSecret(JsonNode json, String name) {
    return Secret.of(requiredString(json, name));
  }

  /**
   * A count of seconds. Numbers are the norm; a string of digits is accepted because several
   * providers send one.
   */
  public static Optional<Duration> optionalSeconds(JsonNode json, String name) {
    JsonNode value = json.get(name);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    long seconds;
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      seconds = value.asLong();
    } else if (value.isNumber()) {
      seconds = (long) Math.ceil(value.asDouble());
    } else if (value.isTextual() && value.asText().matches("\\d{1,12}")) {
      seconds = Long.parseLong(value.asText());
    } else {
      throw new MalformedMessageException("`" + name + "` is not a number of seconds");
    }
    if (seconds < 0) {
      throw new MalformedMessageException("`" + name + "` is negative");
    }
    return Optional.of(Duration.ofSeconds(seconds));
  }

  /**
   * An absolute {@code http} or {@code https} URI. Other schemes are refused, since these URIs are
   * opened in a browser or sent requests.
   */
  public static Optional<URI> optionalWebUri(JsonNode json, String name) {
    return optionalString(json, name).map(text -> webUri(text, name));
  }

  public static URI requiredWebUri(JsonNode json, String name) {
    return webUri(requiredString(json, name), name);
  }

  static URI webUri(String text, String name) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new MalformedMessageException("`" + name + "` is not a URI");
    }
    String scheme = uri.getScheme();
    if (!uri.isAbsolute()
        || uri.getHost() == null
        || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
      throw new MalformedMessageException("`" + name + "` is not an absolute http(s) URI");
    }
    return uri;
  }

  public static void putIfPresent(ObjectNode json, String name, Optional<?> value) {
    value.ifPresent(v -> json.put(name, v.toString()));
  }
}
