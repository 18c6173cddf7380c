package io.devicelogin.client.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.InvalidResponseException;
import io.devicelogin.client.OAuthErrorException;
import io.devicelogin.client.ServerErrorException;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.wire.Json;
import io.devicelogin.client.wire.MalformedMessageException;
import io.devicelogin.client.wire.OAuthError;
import io.devicelogin.client.wire.Scope;
import io.devicelogin.client.wire.TokenResponse;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/** One HTTP response, read whole, with the OAuth interpretations of it. */
public final class HttpResult {
  private final URI endpoint;
  private final int status;
  private final HttpHeaders headers;
  private final String body;

  public HttpResult(URI endpoint, int status, HttpHeaders headers, String body) {
    this.endpoint = endpoint;
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  public URI endpoint() {
    return endpoint;
  }

  public int status() {
    return status;
  }

  public HttpHeaders headers() {
    return headers;
  }

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /** The body as a JSON object, if it is one. */
  public Optional<ObjectNode> jsonObject() {
    try {
      return Optional.of(Json.parseObject(body));
    } catch (MalformedMessageException e) {
      return Optional.empty();
    }
  }

  /**
   * The OAuth error object in the body, whatever the status: GitHub sends errors with 200, Google
   * with 403 and 428.
   */
  public Optional<OAuthError> oauthError() {
    return jsonObject().filter(OAuthError::isError).map(OAuthError::parse);
  }

  /**
   * The {@code Retry-After} header (RFC 9110 §10.2.3) as a wait from {@code now}: delay-seconds or
   * an HTTP-date. Empty when absent or unreadable.
   */
  public Optional<Duration> retryAfter(Instant now) {
    return headers.firstValue("Retry-After").flatMap(value -> parseRetryAfter(value, now));
  }

  static Optional<Duration> parseRetryAfter(String value, Instant now) {
    String v = value.trim();
    if (v.matches("\\d{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * Interprets the response as a successful protocol message: an OAuth error object becomes the
   * matching {@link OAuthErrorException}, a 5xx or 429 a {@link ServerErrorException}, anything
   * else that is not a 2xx JSON object an {@link InvalidResponseException}; a message {@code
   * parser} rejects is an {@link InvalidResponseException} naming the member.
   */
  public <T> T expect(Function<ObjectNode, T> parser) {
    Optional<ObjectNode> json = jsonObject();
    if (json.isPresent() && OAuthError.isError(json.get())) {
      throw OAuthErrorException.of(OAuthError.parse(json.get()), status, endpoint);
    }
    if (status >= 500 || status == 429) {
      throw new ServerErrorException(endpoint, status);
    }
    if (status >= 300 && status < 400) {
      String location = headers.firstValue("Location").orElse("nowhere");
      throw new InvalidResponseException(
          endpoint,
          status,
          "redirected to " + location + "; OAuth requests do not follow redirects");
    }
    if (!isSuccess()) {
      throw new InvalidResponseException(
          endpoint, status, "unexpected status without an OAuth error object");
    }
    if (json.isEmpty()) {
      String type = headers.firstValue("Content-Type").orElse("no content type");
      throw new InvalidResponseException(endpoint, status, "expected a JSON object, got " + type);
    }
    try {
      return parser.apply(json.get());
    } catch (MalformedMessageException e) {
      throw new InvalidResponseException(endpoint, status, e.getMessage());
    }
  }

  /**
   * Interprets the response as a successful token response received at {@code receivedAt}, as
   * {@link #expect} does; a token type this library cannot use is an invalid response too.
   *
   * @param requested the scope asked for, which is the granted one when the server names none
   */
  public TokenSet expectTokens(Instant receivedAt, Scope requested) {
    TokenResponse response = expect(TokenResponse::parse);
    try {
      return TokenSet.from(response, receivedAt, requested);
    } catch (IllegalArgumentException e) {
      throw new InvalidResponseException(endpoint, status, e.getMessage());
    }
  }
}
