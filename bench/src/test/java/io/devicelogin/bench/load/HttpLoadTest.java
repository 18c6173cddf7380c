package io.devicelogin.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The closed loop against a real HTTP server on loopback: never more requests in flight than
 * connections, every answer handed back and counted by kind, a run that ends when the sessions do.
 */
class HttpLoadTest {
  private HttpServer server;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger mostInFlight = new AtomicInteger();
  private final AtomicInteger served = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.createContext(
        "/token",
        exchange -> {
          int now = inFlight.incrementAndGet();
          mostInFlight.accumulateAndGet(now, Math::max);
          String form =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          int n = served.incrementAndGet();
          byte[] body =
              (n % 3 == 0
                      ? "{\"error\":\"slow_down\",\"form\":\"" + form + "\"}"
                      : "{\"error\" : \"authorization_pending\",\"form\":\"" + form + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          inFlight.decrementAndGet();
          exchange.sendResponseHeaders(400, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static HttpLoad.Options options(
      int port, int connections, int threads, Duration warmup, Duration duration) {
    return new HttpLoad.Options(
        new InetSocketAddress("127.0.0.1", port), connections, threads, warmup, duration);
  }

  private URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
  }

  @Test
  void eachConnectionHasOneRequestInFlightAndEveryAnswerIsCountedByKind() {
    URI uri = uri();
    AtomicInteger left = new AtomicInteger(300);
    List<String> forms = new CopyOnWriteArrayList<>();
    LoadResult r =
        HttpLoad.run(
            options(uri.getPort(), 4, 2, Duration.ZERO, Duration.ofMinutes(1)),
            c ->
                Sessions.of(
                    () -> {
                      int n = left.getAndDecrement();
                      return n > 0
                          ? Requests.formPost(uri, "device_code=c" + c + "-" + n, null)
                          : null;
                    },
                    (status, body) -> {
                      assertThat(status).isEqualTo(400);
                      forms.add(Requests.jsonString(body, "form"));
                    }),
            Requests::oauthKind);

    assertThat(served.get()).isEqualTo(300);
    assertThat(mostInFlight.get()).isBetween(1, 4);
    assertThat(r.answers()).isEqualTo(300);
    assertThat(r.kinds())
        .containsEntry("slow_down", 100L)
        .containsEntry("authorization_pending", 200L);
    assertThat(r.errors()).isZero();
    assertThat(forms)
        .hasSize(300)
        .doesNotHaveDuplicates()
        .allMatch(f -> f.matches("device_code=c[0-3]-[0-9]+"));
    assertThat(r.latency().getTotalCount()).isEqualTo(300);
    assertThat(r.window()).isLessThan(Duration.ofMinutes(1));
  }

  @Test
  void answersDuringTheWarmUpAreNotCounted() {
    URI uri = uri();
    byte[] request = Requests.formPost(uri, "device_code=x", null);
    LoadResult r =
        HttpLoad.run(
            options(uri.getPort(), 2, 1, Duration.ofMillis(300), Duration.ofMillis(300)),
            c -> Sessions.sending(() -> request),
            Requests::oauthKind);
    assertThat(r.answers()).isPositive().isLessThan(served.get());
    assertThat(r.window()).isLessThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void aRefusedConnectionIsCountedAsAnErrorNotAHang() throws IOException {
    int closedPort;
    try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    int port = closedPort;
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                HttpLoad.run(
                    options(port, 1, 1, Duration.ZERO, Duration.ofSeconds(5)),
                    c ->
                        Sessions.sending(
                            () ->
                                Requests.formPost(
                                    URI.create("http://127.0.0.1:" + port + "/"), "a=b", null)),
                    Requests::oauthKind))
        .hasMessageContaining("Connection refused");
  }

  @Test
  void jsonStringReadsFlatMembersWithSpacesAndIgnoresOthers() {
    byte[] body =
        "{\"device_code\" : \"abc\", \"expires_in\": 600, \"user_code\":\"WDJB-MJHT\"}"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(Requests.jsonString(body, "device_code")).isEqualTo("abc");
    assertThat(Requests.jsonString(body, "user_code")).isEqualTo("WDJB-MJHT");
    assertThat(Requests.jsonString(body, "expires_in")).isNull();
    assertThat(Requests.jsonString(body, "interval")).isNull();
    assertThat(Requests.oauthKind(200, body)).isEqualTo("ok");
    assertThat(Requests.oauthKind(503, "<html>".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("http_503");
  }
}
