package io.devicelogin.client.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

/**
 * Reading and writing the JSON members of OAuth messages. Values are checked for their type, and a
 * problem names the member but never echoes its value (it may be a secret).
 *
 * <p>Trees are read and written by {@link JsonTrees} without an {@link ObjectMapper}, to the same
 * result: a start-up trick, documented there with the benchmark that shows what it saves.
 */
public final class Json {
  private Json() {}

  /**
   * The shared, thread-safe mapper, for data binding; made on first use (nothing here needs it).
   */
  public static ObjectMapper mapper() {
    return Mapper.INSTANCE;
  }

  private static final class Mapper {
    static final ObjectMapper INSTANCE = new ObjectMapper();
  }

  /** Parses a JSON object, or says why the text is not one. */
  public static ObjectNode parseObject(String text) {
    JsonNode node;
    try {
      node = readTree(text);
    } catch (JsonProcessingException e) {
      throw new MalformedMessageException("the body is not JSON");
    }
    if (!node.isObject()) {
      throw new MalformedMessageException("the body is not a JSON object");
    }
    return (ObjectNode) node;
  }

  /**
   * The tree of the first JSON value in {@code text}, as {@code ObjectMapper.readTree} reads it: a
   * {@link MissingNode} when there is no value, anything after the value ignored, the last of
   * duplicate names kept.
   *
   * @throws JsonProcessingException if the text is not JSON
   */
  public static JsonNode readTree(String text) throws JsonProcessingException {
    return JsonTrees.read(text);
  }

  /** As {@link #readTree(String)}, from UTF-8 (or UTF-16/32, detected) bytes. */
  public static JsonNode readTree(byte[] bytes) throws JsonProcessingException {
    return JsonTrees.read(bytes);
  }

  public static ObjectNode newObject() {
    return JsonTrees.newObject();
  }

  /** The compact JSON text of a tree. */
  public static String write(JsonNode node) {
    return JsonTrees.write(node);
  }

  /**
   * The compact JSON text of a tree in UTF-8; the caller may overwrite the array once it is sent.
   */
  public static byte[] writeBytes(JsonNode node) {
    return JsonTrees.writeBytes(node, false);
  }

  /**
   * The JSON text of a tree in UTF-8, indented as by Jackson's default pretty printer (what {@code
   * mapper.writerWithDefaultPrettyPrinter()} writes), for files that people read.
   */
  public static byte[] writePrettyBytes(JsonNode node) {
    return JsonTrees.writeBytes(node, true);
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
