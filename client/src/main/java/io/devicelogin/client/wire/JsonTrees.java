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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A start-up trick: JSON trees read and written with Jackson's streaming parser and generator, not
 * an {@link ObjectMapper}, with the result (the tree, and the text) that {@code ObjectMapper} with
 * its defaults reads and writes ({@code JsonTest} holds it to that).
 *
 * <p>What it saves: the mapper's class initialisation, whose default date format builds a {@code
 * Calendar} that looks up every locale the JDK has. A JFR profile of {@code devicelogin status} put
 * a third of the command's CPU time there, tens of milliseconds of a run that should take under
 * 200. The benchmark that shows it is {@code bench/src/main/java/io/devicelogin/bench/cli/
 * CliStartup.java}, the {@code devicelogin status} and {@code token} rows of "Command start-up" in
 * {@code bench/RESULTS.md}; {@code bench/.../jmh/ResponseJsonBenchmarks.java} times the writer as
 * the server uses it for every poll.
 */
final class JsonTrees {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTrees() {}

  static ObjectNode newObject() {
    return NODES.objectNode();
  }

  /** As {@code ObjectMapper.readTree}: see {@link Json#readTree(String)}. */
  static JsonNode read(String text) throws JsonProcessingException {
    return read(() -> FACTORY.createParser(text));
  }

  static JsonNode read(byte[] bytes) throws JsonProcessingException {
    return read(() -> FACTORY.createParser(bytes));
  }

  /** Opens a parser over some input. */
  private interface ParserSource {
    JsonParser open() throws IOException;
  }

  private static JsonNode read(ParserSource source) throws JsonProcessingException {
    try (JsonParser parser = source.open()) {
      return read(parser);
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(JsonParser parser) throws IOException {
    JsonToken first = parser.nextToken();
    return first == null ? MissingNode.getInstance() : readValue(parser, first);
  }

  private static JsonNode readValue(JsonParser parser, JsonToken token) throws IOException {
    if (token == null) {
      throw new JsonParseException(parser, "unexpected end of input");
    }
    return switch (token) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          object.set(name, readValue(parser, parser.nextToken()));
        }
        yield object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          array.add(readValue(parser, t));
        }
        yield array;
      }
      case VALUE_STRING -> NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT ->
          switch (parser.getNumberType()) {
            case INT -> NODES.numberNode(parser.getIntValue());
            case LONG -> NODES.numberNode(parser.getLongValue());
            default -> NODES.numberNode(parser.getBigIntegerValue());
          };
      case VALUE_NUMBER_FLOAT ->
          parser.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
              ? NODES.numberNode(parser.getDecimalValue())
              : NODES.numberNode(parser.getDoubleValue());
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> throw new IllegalStateException("unexpected JSON token " + token);
    };
  }

  /** The compact JSON text of a tree. */
  static String write(JsonNode node) {
    StringWriter text = new StringWriter();
    try (JsonGenerator generator = FACTORY.createGenerator(text)) {
      writeValue(generator, node);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
    return text.toString();
  }

  /**
   * The JSON text of a tree in UTF-8, compact or as Jackson's default pretty printer indents it.
   */
  static byte[] writeBytes(JsonNode node, boolean pretty) {
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
      case OBJECT -> {
        generator.writeStartObject();
        for (Map.Entry<String, JsonNode> member : node.properties()) {
          generator.writeFieldName(member.getKey());
          writeValue(generator, member.getValue());
        }
        generator.writeEndObject();
      }
      case ARRAY -> {
        generator.writeStartArray();
        for (JsonNode element : node) {
          writeValue(generator, element);
        }
        generator.writeEndArray();
      }
      case STRING -> generator.writeString(node.textValue());
      case NUMBER -> writeNumber(generator, node);
      case BOOLEAN -> generator.writeBoolean(node.booleanValue());
      case NULL -> generator.writeNull();
      case BINARY -> generator.writeBinary(node.binaryValue());
      default ->
          // POJO and missing nodes are not JSON values of their own.
          throw new IllegalArgumentException("not a JSON value: a " + node.getNodeType() + " node");
    }
  }

  private static void writeNumber(JsonGenerator generator, JsonNode node) throws IOException {
    switch (node.numberType()) {
      case INT -> generator.writeNumber(node.intValue());
      case LONG -> generator.writeNumber(node.longValue());
      case BIG_INTEGER -> generator.writeNumber(node.bigIntegerValue());
      case FLOAT -> generator.writeNumber(node.floatValue());
      case DOUBLE -> generator.writeNumber(node.doubleValue());
      default -> generator.writeNumber(node.decimalValue());
    }
  }
}
