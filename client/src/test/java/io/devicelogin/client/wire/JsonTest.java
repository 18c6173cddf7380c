package io.devicelogin.client.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Json reads and writes trees without an ObjectMapper; what it reads and writes is what an
 * ObjectMapper with its defaults does.
 */
class JsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void readsDocumentsAsTheMapperDoes() throws Exception {
    for (String text :
        List.of(
            "{}",
            "[]",
            "null",
            "true",
            "false",
            "0",
            "-0",
            "-1",
            "2147483647",
            "2147483648",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "1.5",
            "-0.0",
            "1e3",
            "1E-7",
            "1e400",
            "0.1000000000000000055511151231257827",
            "\"\"",
            "\"caf\\u00e9 \\ud83d\\ude00 \\\" \\\\ \\/ \\b\\f\\n\\r\\t\"",
            "\"café 😀\"",
            "{\"a\":1,\"a\":[2,{\"b\":null}]}",
            "{\"a\":1} trailing text",
            "  {\"v\":1}  ",
            "[1,[2,[3,[4,[]]]]]",
            "{\"profiles\":{\"default\":{\"issuer\":\"https://id.example.com\",\"scopes\":[\"openid\"]}}}")) {
      JsonNode expected = MAPPER.readTree(text);
      assertThat(Json.readTree(text)).as(text).isEqualTo(expected);
      assertThat(Json.readTree(text.getBytes(StandardCharsets.UTF_8))).as(text).isEqualTo(expected);
      assertThat(Json.readTree(text.getBytes(StandardCharsets.UTF_16BE)))
          .as(text)
          .isEqualTo(expected);
    }
  }

  @Test
  void noValueIsAMissingNodeAsForTheMapper() throws Exception {
    for (String text : List.of("", "   ", "\n")) {
      assertThat(Json.readTree(text).isMissingNode()).isTrue();
      assertThat(Json.readTree(text)).isEqualTo(MAPPER.readTree(text));
    }
    assertThatThrownBy(() -> Json.parseObject(""))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("the body is not a JSON object");
  }

  @Test
  void whatTheMapperRefusesIsRefused() {
    for (String text :
        List.of(
            "{",
            "[1,",
            "{\"a\":",
            "{\"a\" 1}",
            "[1 2]",
            "{a:1}",
            "'x'",
            "nul",
            "01",
            "[1,]",
            "\"unterminated",
            "{\"a\":1,}",
            "}")) {
      assertThatThrownBy(() -> MAPPER.readTree(text))
          .as(text)
          .isInstanceOf(JsonProcessingException.class);
      assertThatThrownBy(() -> Json.readTree(text))
          .as(text)
          .isInstanceOf(JsonProcessingException.class);
      assertThatThrownBy(() -> Json.readTree(text.getBytes(StandardCharsets.UTF_8)))
          .as(text)
          .isInstanceOf(JsonProcessingException.class);
      assertThatThrownBy(() -> Json.parseObject(text))
          .as(text)
          .isInstanceOf(MalformedMessageException.class)
          .hasMessage("the body is not JSON");
    }
  }

  @Test
  void writesEveryKindOfNodeAsTheMapperDoes() throws Exception {
    ObjectNode node = Json.newObject();
    node.put("text", "line\nbreak \"quoted\" \u0001 é 😀 </script>")
        .put("int", 7)
        .put("long", 1L << 40)
        .put("double", 0.1)
        .put("big", new BigDecimal("1.10"))
        .put("yes", true)
        .putNull("nothing");
    node.putArray("list").add(1).add("two").addObject().put("three", 3.0f);
    node.putObject("empty");
    node.putArray("none");
    node.set("huge", BigIntegerNode.valueOf(new BigInteger("-123456789012345678901234567890")));
    node.set("short", JsonNodeFactory.instance.numberNode((short) 12));
    node.set("bytes", JsonNodeFactory.instance.binaryNode(new byte[] {0, 1, 2, (byte) 0xff}));

    assertThat(Json.write(node)).isEqualTo(MAPPER.writeValueAsString(node));
    assertThat(Json.writeBytes(node)).isEqualTo(MAPPER.writeValueAsBytes(node));
    assertThat(Json.writePrettyBytes(node))
        .isEqualTo(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
  }

  @Test
  void aNodeThatIsNoJsonValueIsRefused() {
    ObjectNode node = Json.newObject();
    node.set("pojo", new POJONode(new Object()));

    assertThatThrownBy(() -> Json.write(node)).isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 300)
  void anyTreeIsWrittenAndReadBackAsTheMapperDoes(@ForAll("trees") JsonNode tree) throws Exception {
    String expected = MAPPER.writeValueAsString(tree);

    assertThat(Json.write(tree)).isEqualTo(expected);
    assertThat(Json.writeBytes(tree)).isEqualTo(MAPPER.writeValueAsBytes(tree));
    assertThat(Json.writePrettyBytes(tree))
        .isEqualTo(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree));
    assertThat(Json.readTree(expected)).isEqualTo(MAPPER.readTree(expected));
    assertThat(Json.readTree(expected.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(MAPPER.readTree(expected));
  }

  @Provide
  Arbitrary<JsonNode> trees() {
    return tree(4);
  }

  private Arbitrary<JsonNode> tree(int depth) {
    Arbitrary<JsonNode> leaf =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(12).map(TextNode::valueOf),
            Arbitraries.integers().map(IntNode::valueOf),
            Arbitraries.longs().map(LongNode::valueOf),
            Arbitraries.doubles().map(DoubleNode::valueOf),
            Arbitraries.bigIntegers()
                .between(
                    new BigInteger("-1" + "0".repeat(30)), new BigInteger("1" + "0".repeat(30)))
                .map(BigIntegerNode::valueOf),
            Arbitraries.bigDecimals().ofScale(3).map(DecimalNode::valueOf),
            Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE, NullNode.getInstance()));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<JsonNode> child = tree(depth - 1);
    Arbitrary<JsonNode> array =
        child
            .list()
            .ofMaxSize(4)
            .map(
                elements -> {
                  ArrayNode a = JsonNodeFactory.instance.arrayNode();
                  elements.forEach(a::add);
                  return a;
                });
    Arbitrary<JsonNode> object =
        Arbitraries.maps(Arbitraries.strings().ofMaxLength(6), child)
            .ofMaxSize(4)
            .map(
                members -> {
                  ObjectNode o = JsonNodeFactory.instance.objectNode();
                  for (Map.Entry<String, JsonNode> m : members.entrySet()) {
                    o.set(m.getKey(), m.getValue());
                  }
                  return o;
                });
    return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(1, array), Tuple.of(1, object));
  }
}
