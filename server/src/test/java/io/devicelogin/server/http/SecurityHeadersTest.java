package io.devicelogin.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.server.metrics.Metrics;
import io.devicelogin.server.testing.RawHttp;
import io.devicelogin.server.testing.RawHttp.Answer;
import io.devicelogin.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every answer carries the security headers, whoever writes it: a page, an OAuth endpoint, {@code
 * /healthz}, Javalin's own 404, the 503 of a server still starting, and Jetty's own refusals of a
 * request its parser cannot take (400, 414, 431), which also never show a stack trace.
 */
class SecurityHeadersTest {
  /** What may load in anything but a page: nothing. */
  private static final String ANSWER_POLICY = "default-src 'none'; frame-ancestors 'none'";

  private static final String PAGE_POLICY =
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
          + " frame-ancestors 'none'; base-uri 'none'";

  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** {@code requestLine}, then {@code headerLines}, each ended by CRLF, on a socket of its own. */
  private static Answer send(int port, String requestLine, String... headerLines) {
    StringBuilder head = new StringBuilder(requestLine).append("\r\n");
    for (String line : headerLines) {
      head.append(line).append("\r\n");
    }
    head.append("Host: 127.0.0.1\r\nConnection: close\r\n\r\n");
    return RawHttp.exchange(port, head.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  private static Answer send(String requestLine, String... headerLines) {
    return send(server.server.port(), requestLine, headerLines);
  }

  private static void assertAnswerHeaders(Answer a) {
    assertThat(a.headers().get("x-content-type-options")).containsExactly("nosniff");
    assertThat(a.headers().get("referrer-policy")).containsExactly("no-referrer");
    assertThat(a.headers().get("x-frame-options")).containsExactly("DENY");
    assertThat(a.headers().get("content-security-policy")).containsExactly(ANSWER_POLICY);
  }

  /** A request Jetty's parser refuses before any route sees it, and the status it answers. */
  record Refused(String what, int status, String requestLine, String... headerLines) {
    @Override
    public String toString() {
      return what + ": " + status;
    }
  }

  static Stream<Refused> refusedByJetty() {
    String longQuery = "?q=" + "q".repeat(20 * 1024);
    String bigHeader = "X-Padding: " + "h".repeat(20 * 1024);
    return Stream.of(
        new Refused("a malformed escape in an OAuth path", 400, "GET /oauth2/%zz HTTP/1.1"),
        new Refused("a malformed escape in a page's path", 400, "GET /device%zz HTTP/1.1"),
        new Refused("an escaped dot segment", 400, "GET /%2e%2e/etc HTTP/1.1"),
        new Refused(
            "a control character in a header",
            400,
            "GET /device HTTP/1.1",
            "User-Agent: tool\u0001/1.0"),
        new Refused(
            "a page's request line of 20 KiB", 414, "GET /device" + longQuery + " HTTP/1.1"),
        new Refused(
            "the metadata's request line of 20 KiB",
            414,
            "GET /.well-known/openid-configuration" + longQuery + " HTTP/1.1"),
        new Refused("a header of 20 KiB to a page", 431, "GET /device HTTP/1.1", bigHeader),
        new Refused(
            "a header of 20 KiB to an endpoint", 431, "POST /oauth2/token HTTP/1.1", bigHeader));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedByJetty")
  void jettysOwnRefusalsCarryTheHeadersAndNoStackTrace(Refused refused) {
    Answer a = send(refused.requestLine(), refused.headerLines());
    assertThat(a.status()).isEqualTo(refused.status());
    assertAnswerHeaders(a);
    assertThat(a.body())
        .doesNotContain("Exception")
        .doesNotContain("Caused by")
        .doesNotContainPattern("\\bat [a-z]+\\.[a-z]+\\.");
  }

  @Test
  void answersThatAreNotPagesLetNothingLoad() {
    for (String path :
        List.of(
            "/.well-known/oauth-authorization-server",
            "/jwks",
            "/healthz",
            "/metrics",
            "/static/style.css",
            "/nowhere")) {
      Answer a = send("GET " + path + " HTTP/1.1", "Accept: application/json");
      assertThat(a.status()).as(path).isIn(200, 404);
      assertAnswerHeaders(a);
    }
  }

  @Test
  void pagesMayLoadOurStylesheetAndAreNeverStored() {
    for (String path : List.of("/device", "/login", "/", "/nowhere")) {
      Answer a = send("GET " + path + " HTTP/1.1", "Accept: text/html");
      assertThat(a.status()).as(path).isIn(200, 303, 404);
      assertThat(a.headers().get("content-security-policy")).as(path).containsExactly(PAGE_POLICY);
      assertThat(a.headers().get("x-frame-options")).containsExactly("DENY");
      assertThat(a.headers().get("referrer-policy")).containsExactly("no-referrer");
      assertThat(a.headers().get("x-content-type-options")).containsExactly("nosniff");
      assertThat(a.headers().get("cache-control")).containsExactly("no-store");
    }
  }

  /** One of each writer of answers: a page, an OAuth endpoint, a 404, a 405 and Jetty's parser. */
  private static final List<String> EVERY_KIND_OF_ANSWER =
      List.of(
          "GET /device HTTP/1.1",
          "GET /.well-known/oauth-authorization-server HTTP/1.1",
          "GET /healthz HTTP/1.1",
          "GET /nowhere HTTP/1.1",
          "PUT /device HTTP/1.1",
          "GET /device%zz HTTP/1.1");

  @Test
  void aServerReachedOverHttpsSendsHstsOnEveryAnswer() {
    try (TestServer https = TestServer.start(List.of("--issuer", "https://login.example.com"))) {
      for (String requestLine : EVERY_KIND_OF_ANSWER) {
        Answer a = send(https.server.port(), requestLine, "Accept: text/html");
        assertThat(a.headers().get("strict-transport-security"))
            .as(requestLine + " answered " + a.status())
            .containsExactly("max-age=31536000");
      }
    }
  }

  @Test
  void aServerOnPlainHttpSendsNoHsts() {
    for (String requestLine : EVERY_KIND_OF_ANSWER) {
      Answer a = send(requestLine, "Accept: text/html");
      assertThat(a.headers()).as(requestLine).doesNotContainKey("strict-transport-security");
    }
  }

  @Test
  void aPageAskedWithAMethodItDoesNotAnswerIs405WithAllowAndAPageNot404() {
    for (String[] row :
        List.of(
            new String[] {"PUT /device HTTP/1.1", "GET, POST"},
            new String[] {"DELETE /login HTTP/1.1", "GET, POST"},
            new String[] {"GET /logout HTTP/1.1", "POST"},
            new String[] {"POST /account HTTP/1.1", "GET"})) {
      Answer a = send(row[0], "Accept: text/html", "Content-Length: 0");
      assertThat(a.status()).as(row[0]).isEqualTo(405);
      assertThat(a.headers().get("allow")).as(row[0]).containsExactly(row[1]);
      assertThat(a.headers().get("content-security-policy"))
          .as(row[0])
          .containsExactly(PAGE_POLICY);
      assertThat(a.body()).as(row[0]).contains("<html").contains("be used that way");
    }
  }

  @Test
  void aServerStillStartingAnswers503WithRetryAfterAndTheHeaders() {
    HttpServer starting = new HttpServer("127.0.0.1", 0, new Metrics(), false);
    starting.start();
    try {
      for (String requestLine :
          List.of("GET /device HTTP/1.1", "GET /healthz HTTP/1.1", "POST /oauth2/token HTTP/1.1")) {
        Answer a = send(starting.port(), requestLine, "Content-Length: 0");
        assertThat(a.status()).as(requestLine).isEqualTo(503);
        assertThat(a.headers().get("retry-after")).as(requestLine).containsExactly("1");
        assertAnswerHeaders(a);
      }
    } finally {
      starting.stop();
    }
  }
}
