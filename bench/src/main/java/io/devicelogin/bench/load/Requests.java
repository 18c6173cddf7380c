package io.devicelogin.bench.load;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** HTTP/1.1 requests as bytes, and the few things the harness reads from answers. */
public final class Requests {
  private Requests() {}

  /** A form POST to {@code uri}, with an optional {@code Authorization} header. */
  public static byte[] formPost(URI uri, String form, String authorization) {
    byte[] body = form.getBytes(StandardCharsets.UTF_8);
    String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    StringBuilder head =
        new StringBuilder(256)
            .append("POST ")
            .append(path)
            .append(" HTTP/1.1\r\n")
            .append("Host: ")
            .append(uri.getHost())
            .append(':')
            .append(uri.getPort())
            .append("\r\n")
            .append("User-Agent: devicelogin-bench\r\n")
            .append("Accept: application/json\r\n")
            .append("Content-Type: application/x-www-form-urlencoded\r\n")
            .append("Content-Length: ")
            .append(body.length)
            .append("\r\n");
    if (authorization != null) {
      head.append("Authorization: ").append(authorization).append("\r\n");
    }
    head.append("\r\n");
    byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[h.length + body.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }

  /** RFC 6749 §2.3.1 client_secret_basic. */
  public static String basic(String clientId, String secret) {
    String pair = encode(clientId) + ":" + encode(secret);
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /**
   * The string value of a top-level member of a JSON object, read without a JSON parser (the
   * answers are small and flat): null when absent or not a plain string.
   */
  public static String jsonString(byte[] body, String member) {
    String text = new String(body, StandardCharsets.UTF_8);
    String quoted = "\"" + member + "\"";
    int at = text.indexOf(quoted);
    while (at >= 0) {
      int i = at + quoted.length();
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i < text.length() && text.charAt(i) == ':') {
        i++;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
          i++;
        }
        if (i < text.length() && text.charAt(i) == '"') {
          int end = text.indexOf('"', i + 1);
          return end < 0 ? null : text.substring(i + 1, end);
        }
        return null;
      }
      at = text.indexOf(quoted, at + 1);
    }
    return null;
  }

  /**
   * The kind of an OAuth answer: the RFC 6749 §5.2 {@code error} code, {@code ok} for a 2xx without
   * one, else {@code http_STATUS}.
   */
  public static String oauthKind(int status, byte[] body) {
    String error = jsonString(body, "error");
    if (error != null) {
      return error;
    }
    return status / 100 == 2 ? "ok" : "http_" + status;
  }
}
