package io.devicelogin.client.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.Secret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Reading and writing the JSON members of OAuth messages. Values are checked for their type, and a
 * problem names the member but never echoes its value (it may be a secret).
 *
 * <p>Trees are read and written with Jackson's streaming parser and generator, not an {@link
 * ObjectMapper}: the mapper's class initialisation alone (its default date format builds a {@code
 * Calendar}, which looks up every locale the JDK has) costs a short-lived command such as {@code
 * devicelogin status} tens of milliseconds, and trees need none of it. The result is the tree, and
 * the text, that {@code ObjectMapper} with its defaults reads and writes.
 */
public final class Json {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

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
    try (JsonParser parser = FACTORY.createParser(text)) {
      return readTree(parser);
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** As {@link #readTree(String)}, from UTF-8 (or UTF-16/32, detected) bytes. */
  public static JsonNode readTree(byte[] bytes) throws JsonProcessingException {
    try (JsonParser parser = FACTORY.createParser(bytes)) {
      return readTree(parser);
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode readTree(JsonParser parser) throws IOException {
    JsonToken first = parser.nextToken();
    return first == null ? MissingNode.getInstance() : readValue(parser, first);
  }

  private static JsonNode readValue(JsonParser parser, JsonToken token) throws IOException {
    if (token == null) {
      throw new JsonParseException(parser, "unexpected end of input");
    }
    switch (token) {
      case START_OBJECT:
        ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          object.set(name, readValue(parser, parser.nextToken()));
        }
        return object;
      case START_ARRAY:
        ArrayNode array = NODES.arrayNode();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          array.add(readValue(parser, t));
        }
        return array;
      case VALUE_STRING:
        return NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT:
        switch (parser.getNumberType()) {
          case INT:
            return NODES.numberNode(parser.getIntValue());
          case LONG:
            return NODES.numberNode(parser.getLongValue());
          default:
            return NODES.numberNode(parser.getBigIntegerValue());
        }
      case VALUE_NUMBER_FLOAT:
        return parser.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
            ? NODES.numberNode(parser.getDecimalValue())
            : NODES.numberNode(parser.getDoubleValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new IllegalStateException("unexpected JSON token " + token);
    }
  }

  public static ObjectNode newObject() {
    return NODES.objectNode();
  }

  /** The compact JSON text of a tree. */
  public static String write(JsonNode node) {
    StringWriter text = new StringWriter();
    try (JsonGenerator generator = FACTORY.createGenerator(text)) {
      writeValue(generator, node);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
    return text.toString();
  }

  /**
   * The compact JSON text of a tree in UTF-8; the caller may overwrite the array once it is sent.
   */
  public static byte[] writeBytes(JsonNode node) {
    return writeBytes(node, false);
  }

  /**
   * The JSON text of a tree in UTF-8, indented as by Jackson's default pretty printer (what {@code
   * mapper.writerWithDefaultPrettyPrinter()} writes), for files that people read.
   */
  public static byte[] writePrettyBytes(JsonNode node) {
    return writeBytes(node, true);
  }

  private static byte[] writeBytes(JsonNode node, boolean pretty) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator generator = FACTORY.createGenerator(bytes)) {
      if (pretty) {
        generator.setPrettyPrinter(new DefaultPrettyPrinter());
      }
      writeValue(generator, node);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
    return bytes.toByteArray();
  }

  private static void writeValue(JsonGenerator generator, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case OBJECT:
        generator.writeStartObject();
        for (Map.Entry<String, JsonNode> member : node.properties()) {
          generator.writeFieldName(member.getKey());
          writeValue(generator, member.getValue());
        }
        generator.writeEndObject();
        break;
      case ARRAY:
        generator.writeStartArray();
        for (JsonNode element : node) {
          writeValue(generator, element);
        }
        generator.writeEndArray();
        break;
      case STRING:
        generator.writeString(node.textValue());
        break;
      case NUMBER:
        writeNumber(generator, node);
        break;
      case BOOLEAN:
        generator.writeBoolean(node.booleanValue());
        break;
      case NULL:
        generator.writeNull();
        break;
      case BINARY:
        generator.writeBinary(node.binaryValue());
        break;
      default:
        // POJO and missing nodes are not JSON values of their own.
        throw new IllegalArgumentException("not a JSON value: a " + node.getNodeType() + " node");
    }
  }

  private static void writeNumber(JsonGenerator generator, JsonNode node) throws IOException {
    switch (node.numberType()) {
      case INT:
        generator.writeNumber(node.intValue());
        break;
      case LONG:
        generator.writeNumber(node.longValue());
        break;
      case BIG_INTEGER:
        generator.writeNumber(node.bigIntegerValue());
        break;
      case FLOAT:
        generator.writeNumber(node.floatValue());
        break;
      case DOUBLE:
        generator.writeNumber(node.doubleValue());
        break;
      default:
        generator.writeNumber(node.decimalValue());
        break;
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
