package io.devicelogin.client.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server on a free loopback port that answers from a script and records every request
 * with the time the test clock showed when it arrived. The rules of the polling engine are proved
 * from those times.
 */
public final class RecordingHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final Clock clock;
  private final ExecutorService executor;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Function<RecordedRequest, Reply>> routes = new ConcurrentHashMap<>();

  static {
    // Without it, a response's headers and body leave in two segments and delayed ACKs add ~40 ms
    // to every request. Read once, when the JDK's server first starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private RecordingHttpServer(Clock clock) throws IOException {
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "recording-http-server");
              t.setDaemon(true);
              return t;
            });
    this.server.setExecutor(executor);
    this.server.createContext("/", this::handle);
    this.server.start();
  }

  public static RecordingHttpServer start(Clock clock) {
    try {
      return new RecordingHttpServer(clock);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the test HTTP server", e);
    }
  }

  /** {@code http://127.0.0.1:PORT} with the given path. */
  public URI uri(String path) {
    return URI.create(
        "http://"
            + server.getAddress().getAddress().getHostAddress()
            + ":"
            + server.getAddress().getPort()
            + path);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Answers every request to {@code path} with {@code responder}. */
  public RecordingHttpServer on(String path, Function<RecordedRequest, Reply> responder) {
    routes.put(path, responder);
    return this;
  }

  /** Answers requests to {@code path} with the replies in turn, repeating the last one. */
  public RecordingHttpServer onSequence(String path, Reply... replies) {
    Iterator<Reply> it = List.of(replies).iterator();
    Reply[] last = {replies[replies.length - 1]};
    return on(
        path,
        request -> {
          synchronized (it) {
            return it.hasNext() ? it.next() : last[0];
          }
        });
  }

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public List<RecordedRequest> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** The gaps between successive requests to {@code path}, by the test clock. */
  public List<Duration> gaps(String path) {
    List<RecordedRequest> list = requests(path);
    List<Duration> gaps = new ArrayList<>();
    for (int i = 1; i < list.size(); i++) {
      gaps.add(Duration.between(list.get(i - 1).at(), list.get(i).at()));
    }
    return gaps;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
    RecordedRequest request =
        new RecordedRequest(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            exchange.getRequestURI().getRawQuery(),
            headers,
            body,
            clock.instant());
    requests.add(request);
    Function<RecordedRequest, Reply> route = routes.get(request.path());
    Reply reply = route == null ? Reply.status(404) : route.apply(request);
    if (reply.drop()) {
      // An exception from a handler makes the server close the connection without an answer.
      exchange.close();
      throw new IOException("connection dropped on purpose by the test");
    }
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
