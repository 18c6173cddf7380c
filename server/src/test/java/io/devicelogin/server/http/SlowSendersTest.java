package io.devicelogin.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.server.testing.LogCapture;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.RawHttp;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A sender that trickles its request in holds a connection and, while its body is read, a thread:
 * 300 connections sending a byte every ten seconds once stalled {@code /healthz} and every device
 * request. A request is read whole within a deadline, a body arrives at a minimum rate, and one
 * address has a capped number of connections; each refusal is a clean close or a {@code 408}, never
 * a stack trace in the log. Real sockets; the deadline is made short by the command line.
 */
@SuppressWarnings("try") // the senders are a resource only to be closed before the server
class SlowSendersTest {
  private static final InetAddress SERVER = address("127.0.0.1");

  /** Another sender on the same machine: Linux answers every 127/8 address on loopback. */
  private static final InetAddress ATTACKER = address("127.0.0.2");

  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

  /** Before the server stops, which would otherwise wait for them. */
  @AfterEach
  void closeSenders() throws IOException {
    trickle.shutdownNow();
    for (Socket s : sockets) {
      s.close();
    }
  }

  @Test
  void slowBodiesAreCutAtTheDeadlineWhileHealthAndDeviceRequestsAreAnswered() throws Exception {
    // Long enough that a loaded machine answers the test's own requests within it.
    Duration deadline = Duration.ofSeconds(5);
    try (LogCapture log = LogCapture.start();
        TestServer server =
            TestServer.start(
                List.of(
                    "--request-deadline",
                    "5s",
                    "--min-body-rate",
                    "0",
                    "--connections-per-address",
                    "8"));
        Closeable senders = this::closeSenders) {
      int port = server.server.port();
      List<Socket> slow = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        slow.add(trickling(port, ATTACKER, "/oauth2/token"));
      }
      slow.add(trickling(port, SERVER, "/device"));
      slow.add(trickling(port, SERVER, "/device", true));
      long opened = System.nanoTime();

      OAuthCalls oauth = server.oauth();
      assertThat(oauth.get("/healthz").status()).isEqualTo(200);
      assertThat(oauth.deviceAuthorization(TestClients.CLI, "openid").status()).isEqualTo(200);
      assertThat(System.nanoTime() - opened)
          .as("answered while the slow senders were still held")
          .isLessThan(deadline.toNanos());

      for (Socket s : slow) {
        s.setSoTimeout((int) deadline.plusSeconds(5).toMillis());
        assertThat(ending(s)).as("a slow sender's end").isIn("408", "closed");
      }
      assertThat(log.withStackTraces()).isEmpty();
      assertThat(log.errors()).isEmpty();
    }
  }

  @Test
  void aBodySlowerThanTheMinimumRateIsCutLongBeforeTheDeadline() throws Exception {
    try (LogCapture log = LogCapture.start();
        TestServer server =
            TestServer.start(List.of("--request-deadline", "60s", "--min-body-rate", "100"));
        Closeable senders = this::closeSenders) {
      long start = System.nanoTime();
      // Ten bytes a second, with a complete head and the start of a token request.
      Socket s = trickling(server.server.port(), SERVER, "/oauth2/token");
      // And a page's form, in chunks, so of no declared length.
      Socket page = trickling(server.server.port(), SERVER, "/device", true);
      s.setSoTimeout(15_000);
      page.setSoTimeout(15_000);
      RawHttp.Answer answer = RawHttp.read(s.getInputStream());
      assertThat(answer.status()).isEqualTo(408);
      assertThat(answer.response().error()).isEqualTo("invalid_request");
      RawHttp.Answer pageAnswer = RawHttp.read(page.getInputStream());
      assertThat(pageAnswer.status()).isEqualTo(408);
      assertThat(pageAnswer.headers().get("content-type")).anyMatch(t -> t.startsWith("text/html"));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(log.withStackTraces()).isEmpty();
      assertThat(log.errors()).isEmpty();
    }
  }

  @Test
  void aHeadSentSlowerThanTheDeadlineIsClosedWhileAQuickOneOnTheSameServerIsAnswered()
      throws Exception {
    try (LogCapture log = LogCapture.start();
        TestServer server = TestServer.start(List.of("--request-deadline", "1s"));
        Closeable senders = this::closeSenders) {
      int port = server.server.port();
      Socket s = connect(port, ATTACKER);
      OutputStream out = s.getOutputStream();
      out.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // A header line every 100 ms: each read is quick, the head never ends.
      trickle.scheduleAtFixedRate(
          () -> {
            try {
              out.write("X-Slow: a\r\n".getBytes(StandardCharsets.US_ASCII));
              out.flush();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          },
          100,
          100,
          TimeUnit.MILLISECONDS);
      long start = System.nanoTime();
      assertThat(health(connect(port, SERVER))).isEqualTo("200");

      s.setSoTimeout(10_000);
      assertThat(ending(s)).isIn("408", "closed");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("closed within twice the deadline, and some slack")
          .isLessThan(Duration.ofSeconds(6));
      assertThat(log.withStackTraces()).isEmpty();
    }
  }

  @Test
  void theConnectionPastTheCapOfOneAddressIsRefusedWhileAnotherAddressIsServed() throws Exception {
    try (LogCapture log = LogCapture.start();
        TestServer server = TestServer.start(List.of("--connections-per-address", "3"));
        Closeable senders = this::closeSenders) {
      int port = server.server.port();
      List<Socket> held = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Socket s = connect(port, ATTACKER);
        // Answered, so open and counted, and kept open (HTTP/1.1 keeps the connection).
        assertThat(health(s)).isEqualTo("200");
        held.add(s);
      }

      assertThat(health(connect(port, ATTACKER))).isEqualTo("closed");
      assertThat(health(connect(port, SERVER))).isEqualTo("200");
      assertThat(health(held.get(0)))
          .as("the connections within the cap still work")
          .isEqualTo("200");

      held.get(0).close();
      // The server notices the close on its own time: the next connection is served once it has.
      String after = "closed";
      for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
          after.equals("closed") && System.nanoTime() < until; ) {
        after = health(connect(port, ATTACKER));
      }
      assertThat(after).isEqualTo("200");
      assertThat(server.oauth().get("/metrics").body())
          .contains("limit=\"connections_per_address\"");
      assertThat(log.withStackTraces()).isEmpty();
    }
  }

  /**
   * A connection from {@code from} that sends the head of a form {@code POST} to {@code path}
   * announcing 1,000 bytes, the start of the body, then a byte every 100 ms.
   */
  private Socket trickling(int port, InetAddress from, String path) throws IOException {
    return trickling(port, from, path, false);
  }

  /** The same, its body in chunks of one byte when {@code chunked}, so of no declared length. */
  private Socket trickling(int port, InetAddress from, String path, boolean chunked)
      throws IOException {
    Socket s = connect(port, from);
    OutputStream out = s.getOutputStream();
    out.write(
        ("POST "
                + path
                + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + (chunked
                    ? "Transfer-Encoding: chunked\r\n\r\n1\r\ng\r\n"
                    : "Content-Length: 1000\r\n\r\ngrant_type="))
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    byte[] piece = (chunked ? "1\r\na\r\n" : "a").getBytes(StandardCharsets.US_ASCII);
    trickle.scheduleAtFixedRate(
        () -> {
          try {
            out.write(piece);
            out.flush();
          } catch (IOException e) {
            throw new UncheckedIOException(e); // closed: this sender's trickle ends
          }
        },
        100,
        100,
        TimeUnit.MILLISECONDS);
    return s;
  }

  private Socket connect(int port, InetAddress from) throws IOException {
    Socket s = new Socket(SERVER, port, from, 0);
    sockets.add(s);
    s.setSoTimeout(10_000);
    return s;
  }

  /** A {@code GET /healthz} on {@code s}: its status, or "closed" if the server shut it. */
  private static String health(Socket s) throws IOException {
    try {
      s.getOutputStream()
          .write(
              "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
    } catch (SocketException e) {
      return "closed";
    }
    return ending(s);
  }

  /** The status of the next answer on {@code s}, or "closed" if it ends without one. */
  private static String ending(Socket s) throws IOException {
    try {
      return String.valueOf(RawHttp.read(s.getInputStream()).status());
    } catch (SocketTimeoutException e) {
      throw new AssertionError("neither answered nor closed in time", e);
    } catch (SocketException | AssertionError e) {
      // Reset, or closed before a status line ("not an HTTP/1.1 answer: null").
      return "closed";
    }
  }

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
