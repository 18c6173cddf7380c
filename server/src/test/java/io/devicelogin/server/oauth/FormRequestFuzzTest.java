package io.devicelogin.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.protocol.FormRequest;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.testing.OAuthCalls;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzz targets for what reads an OAuth request's untrusted bytes: the form body and the HTTP Basic
 * credentials. The one problem either may raise is an {@link OAuthProblem} ({@code invalid_request}
 * for a body, {@code invalid_client} for credentials); anything else thrown is a finding.
 *
 * <p>Under {@code mvn verify} each target fuzzes for its {@code maxDuration} in a JVM of its own
 * (Jazzer fuzzes one target per JVM; see the surefire executions in {@code server/pom.xml}); in the
 * ordinary test run each runs once per file under {@code FormRequestFuzzTestInputs/}, the seeds and
 * any crash the fuzzer saved there. {@code scripts/fuzz-long} fuzzes them for longer.
 */
class FormRequestFuzzTest {
  /** Every parameter an endpoint asks for: none may appear unless the body names it. */
  private static final List<String> READ_BY_ENDPOINTS =
      List.of(
          "grant_type",
          "client_id",
          "client_secret",
          "scope",
          "device_code",
          "refresh_token",
          "token",
          "token_type_hint");

  /**
   * A body is either refused with {@code invalid_request}, or read as exactly the parameters that a
   * plain reading of it gives: split at {@code &}, each at its first {@code =}, both sides
   * form-decoded as UTF-8. The plain reading also says when to refuse: bytes or escapes that are
   * not UTF-8, a nameless or repeated parameter, a value over the length limit or holding a control
   * character. So no parameter holds what the body did not say, and none goes missing.
   */
  @FuzzTest(maxDuration = "10s")
  void parse(byte[] body) {
    Optional<Map<String, String>> expected = plainReading(body);
    FormRequest form;
    try {
      form = FormRequest.parse(body);
    } catch (OAuthProblem e) {
      assertThat(e.code()).isEqualTo("invalid_request");
      assertThat(e.status()).isEqualTo(400);
      assertThat(expected).as("refused, though a plain reading finds nothing wrong").isEmpty();
      return;
    }
    assertThat(expected).as("read, though a plain reading refuses it").isPresent();
    Set<String> names = new LinkedHashSet<>(expected.get().keySet());
    names.addAll(READ_BY_ENDPOINTS);
    for (String name : names) {
      String value = expected.get().getOrDefault(name, "");
      assertThat(form.get(name))
          .as(name)
          .isEqualTo(value.isEmpty() ? Optional.empty() : Optional.of(value));
    }
    FormRequest reencoded =
        FormRequest.parse(encode(expected.get()).getBytes(StandardCharsets.UTF_8));
    expected
        .get()
        .forEach(
            (n, v) ->
                assertThat(reencoded.get(n))
                    .as("re-encoded " + n)
                    .isEqualTo(v.isEmpty() ? Optional.empty() : Optional.of(v)));
  }

  /** The parameters as the form encoding defines them, or empty where the body must be refused. */
  private static Optional<Map<String, String>> plainReading(byte[] body) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : text.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name;
      String value;
      try {
        name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      // The decoder turns bytes that are not UTF-8 into U+FFFD; a body that means U+FFFD is refused
      // with them, as the server cannot tell the two apart.
      boolean decodedBadly = name.contains("\uFFFD") || value.contains("\uFFFD");
      if (decodedBadly
          || name.isEmpty()
          || value.length() > Defaults.MAX_PARAMETER_LENGTH
          || value.chars().anyMatch(ch -> ch < 0x20 && ch != '\t' || ch == 0x7f)
          || parameters.containsKey(name)) {
        return Optional.empty();
      }
      parameters.put(name, value);
    }
    return Optional.of(parameters);
  }

  private static String encode(Map<String, String> parameters) {
    List<String> namesAndValues = new ArrayList<>();
    parameters.forEach(
        (n, v) -> {
          namesAndValues.add(n);
          namesAndValues.add(v);
        });
    return OAuthCalls.form(namesAndValues.toArray(String[]::new));
  }

  /**
   * Any {@code Authorization} value (Jetty hands header bytes over as ISO-8859-1) is either not
   * Basic, or refused with {@code invalid_client}, or read as a client id and a secret that are
   * both non-empty. And any client id and secret, sent as RFC 6749 §2.3.1 says (each form-encoded,
   * then Base64), are read back exactly: the body's first line is the id, the rest the secret.
   */
  @FuzzTest(maxDuration = "5s")
  void basic(byte[] input) {
    String header = new String(input, StandardCharsets.ISO_8859_1);
    try {
      Optional<String[]> credentials = ClientAuthentication.basic(header);
      if (!header.toLowerCase(Locale.ROOT).startsWith("basic ")) {
        assertThat(credentials).isEmpty();
      }
      credentials.ifPresent(
          c -> {
            assertThat(c).hasSize(2);
            assertThat(c[0]).as("client id").isNotEmpty();
            assertThat(c[1]).as("secret").isNotEmpty();
          });
    } catch (OAuthProblem e) {
      assertThat(e.code()).isEqualTo("invalid_client");
      assertThat(e.status()).isEqualTo(401);
    }

    String text = new String(input, StandardCharsets.UTF_8);
    int newline = text.indexOf('\n');
    if (newline < 1 || newline == text.length() - 1) {
      return;
    }
    String id = text.substring(0, newline);
    String secret = text.substring(newline + 1);
    Optional<String[]> read = ClientAuthentication.basic(OAuthCalls.basic(id, secret));
    assertThat(read).hasValueSatisfying(c -> assertThat(c).containsExactly(id, secret));
  }
}
