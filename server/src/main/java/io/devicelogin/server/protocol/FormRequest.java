package io.devicelogin.server.protocol;

import io.devicelogin.client.wire.MalformedRequestException;
import io.devicelogin.server.config.Defaults;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The parameters of an OAuth request, read strictly (RFC 6749 §3.2, §3.1): {@code
 * application/x-www-form-urlencoded} in UTF-8, at most {@link Defaults#MAX_FORM_BYTES}, no
 * parameter twice, none longer than {@link Defaults#MAX_PARAMETER_LENGTH}. Anything else is {@code
 * invalid_request}. Parameters in the query string are refused: codes and tokens do not belong in
 * URLs.
 */
public final class FormRequest {
  /**
   * How much of a too-large body is read and dropped, so that the client still gets the answer: a
   * close with unread bytes resets the connection and can destroy the answer in flight. Reading a
   * MiB costs a millisecond; past it the client is not worth an answer.
   */
  private static final int DISCARDED_AT_MOST = 1024 * 1024;

  private final Map<String, String> parameters;

  private FormRequest(Map<String, String> parameters) {
    this.parameters = parameters;
  }

  public static FormRequest read(OAuthExchange ctx) {
    String type = ctx.contentType();
    if (!isForm(type)) {
      throw OAuthProblem.invalidRequest("the body must be application/x-www-form-urlencoded");
    }
    if (!isUtf8(type)) {
      throw OAuthProblem.invalidRequest("the body must be UTF-8");
    }
    if (ctx.queryString() != null && !ctx.queryString().isEmpty()) {
      throw OAuthProblem.invalidRequest("parameters belong in the body, not the query string");
    }
    return parse(readAtMost(ctx, Defaults.MAX_FORM_BYTES));
  }

  /**
   * Whether a Content-Type is {@code application/x-www-form-urlencoded}: the media type before any
   * parameter, compared whole and in any case (RFC 9110 §8.3.1), so that a type that only begins
   * like it is not it.
   */
  public static boolean isForm(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().equalsIgnoreCase("application/x-www-form-urlencoded");
  }

  /**
   * Whether every {@code charset} parameter of a Content-Type names UTF-8, quoted or not (RFC 9110
   * §5.6.6); none means UTF-8, as for every form a browser or an OAuth client sends.
   */
  public static boolean isUtf8(String contentType) {
    String[] parts = contentType == null ? new String[0] : contentType.split(";", -1);
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq < 0 || !parts[i].substring(0, eq).trim().equalsIgnoreCase("charset")) {
        continue;
      }
      String value = parts[i].substring(eq + 1).trim();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      if (!value.equalsIgnoreCase("utf-8")) {
        return false;
      }
    }
    return true;
  }

  /**
   * The body, read from the stream and never past {@code limit}: a body sent without {@code
   * Content-Length} (chunked) is not buffered whole first, and one that is too large is an OAuth
   * error like any other, not the HTTP layer's 413 page. The rest of a too-large body, up to {@link
   * #DISCARDED_AT_MOST}, is read and dropped: a server that answers while the client is still
   * sending resets the connection, and the client never sees the error.
   */
  private static byte[] readAtMost(OAuthExchange ctx, int limit) {
    try (InputStream in = ctx.bodyInputStream()) {
      if (ctx.contentLength() > limit) {
        discard(in, ctx.contentLength());
        throw OAuthProblem.invalidRequest("the body is too large");
      }
      byte[] body = in.readNBytes(limit + 1);
      if (body.length > limit) {
        discard(in, Long.MAX_VALUE);
        throw OAuthProblem.invalidRequest("the body is too large");
      }
      return body;
    } catch (IOException e) {
      if (isTimeout(e)) {
        // The whole-request deadline or the minimum rate (server.http.RequestDeadline), or Jetty's
        // idle timeout: RFC 9110 §15.5.9.
        throw new OAuthProblem("invalid_request", "the request was not sent in time", 408);
      }
      throw OAuthProblem.invalidRequest("the body could not be read");
    }
  }

  private static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static void discard(InputStream in, long declared) throws IOException {
    if (declared <= DISCARDED_AT_MOST) {
      in.skipNBytes(declared);
    } else {
      in.readNBytes(DISCARDED_AT_MOST);
    }
  }

  public static FormRequest parse(byte[] body) {
    String text;
    if (isAscii(body)) {
      // What every OAuth client sends: ASCII needs no decoder (and cannot be malformed UTF-8).
      text = new String(body, StandardCharsets.US_ASCII);
    } else {
      try {
        text =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(body))
                .toString();
      } catch (CharacterCodingException e) {
        throw OAuthProblem.invalidRequest("the body is not valid UTF-8");
      }
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    if (text.isEmpty()) {
      return new FormRequest(parameters);
    }
    for (String pair : text.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (name.isEmpty()) {
        throw OAuthProblem.invalidRequest("a parameter has no name");
      }
      if (value.length() > Defaults.MAX_PARAMETER_LENGTH) {
        throw OAuthProblem.invalidRequest("the parameter " + safeName(name) + " is too long");
      }
      if (hasControlCharacters(value)) {
        throw OAuthProblem.invalidRequest(
            "the parameter " + safeName(name) + " holds control characters");
      }
      if (parameters.containsKey(name)) {
        throw OAuthProblem.invalidRequest("the parameter " + safeName(name) + " is repeated");
      }
      if (!value.isEmpty()) {
        parameters.put(name, value);
      } else {
        parameters.put(name, "");
      }
    }
    return new FormRequest(parameters);
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasControlCharacters(String value) {
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (ch < 0x20 && ch != '\t' || ch == 0x7f) {
        return true;
      }
    }
    return false;
  }

  private static String decode(String part) {
    if (part.indexOf('%') < 0 && part.indexOf('+') < 0 && part.indexOf('\uFFFD') < 0) {
      return part;
    }
    try {
      String decoded = URLDecoder.decode(part, StandardCharsets.UTF_8);
      if (decoded.contains("\uFFFD")) {
        throw OAuthProblem.invalidRequest("a parameter is not valid UTF-8");
      }
      return decoded;
    } catch (IllegalArgumentException e) {
      throw OAuthProblem.invalidRequest("the body is not valid form encoding");
    }
  }

  /** A parameter name is echoed only if it is short and plain. */
  private static String safeName(String name) {
    return name.matches("[A-Za-z0-9_.-]{1,40}") ? "`" + name + "`" : "(unnamed)";
  }

  /**
   * The request read as a protocol message, such as {@code TokenRequest::parse}; a refusal of the
   * parser is the OAuth error it names, answered with 400.
   */
  public <T> T as(Function<Map<String, String>, T> parser) {
    try {
      return parser.apply(Collections.unmodifiableMap(parameters));
    } catch (MalformedRequestException e) {
      throw new OAuthProblem(e.code(), e.description(), 400);
    }
  }

  /**
   * A parameter, empty when absent or empty (RFC 6749 §3.1: empty values are treated as omitted).
   */
  public Optional<String> get(String name) {
    String v = parameters.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  public String require(String name) {
    return get(name)
        .orElseThrow(() -> OAuthProblem.invalidRequest("the parameter `" + name + "` is missing"));
  }

  public boolean has(String name) {
    return get(name).isPresent();
  }
}
