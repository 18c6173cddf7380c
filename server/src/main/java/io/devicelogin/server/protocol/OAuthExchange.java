package io.devicelogin.server.protocol;

import java.io.InputStream;
import java.util.List;

/**
 * One request to an OAuth endpoint and its answer: what the endpoints read and write, and nothing
 * of the HTTP server behind it. {@code server.http.OAuthRoutes} serves them straight from Jetty,
 * without the servlet layer the pages use, because these are the paths a fleet of CLIs keeps busy.
 */
public interface OAuthExchange {
  /** The first value of a request header, or null. */
  String header(String name);

  /** Every line of a request header, in the order received. */
  List<String> headers(String name);

  /** The socket peer's address. */
  String remoteAddress();

  /** The request's Content-Type, or null. */
  String contentType();

  /** The raw query string, or null. */
  String queryString();

  /** The declared body length, or -1 when not declared (chunked). */
  long contentLength();

  /** The body, read as it arrives. */
  InputStream bodyInputStream();

  /** Sets the answer's status. */
  void status(int status);

  /** The answer's status so far. */
  int statusCode();

  /** Sets an answer header. */
  void header(String name, String value);

  /** Sets the answer's Content-Type. */
  void contentType(String type);

  /** Sets the answer's body. */
  void result(String body);

  /** The answer's body so far. */
  String result();

  /** Who sent the request: its address (through trusted proxies) and user agent. */
  default Origin originBy(RequestOrigin origins) {
    return origins.of(remoteAddress(), headers("X-Forwarded-For"), header("User-Agent"));
  }
}
