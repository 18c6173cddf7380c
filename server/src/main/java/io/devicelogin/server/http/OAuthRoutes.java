package io.devicelogin.server.http;

import io.devicelogin.client.wire.Json;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.metrics.Metrics;
import io.devicelogin.server.oauth.OAuthResponses;
import io.devicelogin.server.protocol.OAuthExchange;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OAuth endpoints, served by Jetty directly: a request to one of them never enters the servlet
 * layer, Javalin's router or the page sessions, which the pages need and a poll does not. Every
 * other request goes on to the pages.
 *
 * <p>A trick for speed, not for the protocol: profiles of pending polls ({@code ProfilePolls}, the
 * pending-poll scenarios of {@code bench/run --only server} in {@code bench/RESULTS.md}) showed the
 * servlet path costing about as much again as the endpoint itself. The endpoints know nothing of
 * it: they see an {@link OAuthExchange}.
 *
 * <p>What the pages' stack did for these paths is done here: the {@link SecurityHeaders}, {@code
 * 503} until the endpoints exist, an OAuth error object for an {@link OAuthProblem}, {@code
 * server_error} (logged without the request's parameters) for anything else, and a count of every
 * answer by endpoint and outcome.
 */
public final class OAuthRoutes extends Handler.Wrapper {
  private static final Logger log = LoggerFactory.getLogger(OAuthRoutes.class);

  /** One endpoint's handler. */
  @FunctionalInterface
  public interface Endpoint {
    void handle(OAuthExchange exchange) throws Exception;
  }

  private record Route(String metric, Endpoint endpoint) {}

  private final Map<String, Map<String, Route>> routes = new LinkedHashMap<>();
  private final Metrics metrics;
  private final BooleanSupplier ready;

  /**
   * @param ready false while the server is starting (the endpoints need the port for the issuer)
   */
  public OAuthRoutes(Metrics metrics, BooleanSupplier ready) {
    this.metrics = metrics;
    this.ready = ready;
  }

  /** Serves {@code method path}, counted in the metrics as {@code metric}. */
  public OAuthRoutes add(String method, String path, String metric, Endpoint endpoint) {
    routes
        .computeIfAbsent(path, p -> new LinkedHashMap<>())
        .put(method, new Route(metric, endpoint));
    return this;
  }

  /** Whether this handler answers {@code path}. */
  public boolean serves(String path) {
    return routes.containsKey(normalise(path));
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Map<String, Route> byMethod = routes.get(normalise(request.getHttpURI().getPath()));
    if (byMethod == null) {
      return super.handle(request, response, callback);
    }
    JettyExchange exchange = new JettyExchange(request);
    Route route = byMethod.get(request.getMethod());
    if (route == null && "HEAD".equals(request.getMethod())) {
      route = byMethod.get("GET");
    }
    if (!ready.getAsBoolean()) {
      exchange.status(503);
      exchange.header("Retry-After", Defaults.RETRY_AFTER_WHILE_STARTING);
      exchange.contentType("text/plain; charset=utf-8");
      exchange.result("starting");
    } else if (route == null) {
      exchange.header("Allow", String.join(", ", byMethod.keySet()));
      error(
          exchange,
          405,
          "invalid_request",
          "this endpoint answers " + String.join(" and ", byMethod.keySet()));
    } else {
      run(route, exchange, request);
    }
    exchange.send(response, callback, "HEAD".equals(request.getMethod()));
    return true;
  }

  private void run(Route route, JettyExchange exchange, Request request) {
    try {
      route.endpoint().handle(exchange);
      metrics.request(route.metric(), exchange.statusCode() < 400 ? "ok" : errorCode(exchange));
    } catch (OAuthProblem e) {
      metrics.request(route.metric(), e.code());
      exchange.reset();
      OAuthResponses.error(exchange, e);
    } catch (Exception e) {
      if (e instanceof StoreException store && store.isUnavailable()) {
        unavailable(route, exchange, request);
      } else {
        failed(route, exchange, request, e);
      }
    }
  }

  /** The database went away: a 503 the client may retry, and a warning without a stack trace. */
  private void unavailable(Route route, JettyExchange exchange, Request request) {
    metrics.request(route.metric(), "temporarily_unavailable");
    log.warn(
        "the database is unavailable: {} {} answered 503",
        request.getMethod(),
        request.getHttpURI().getPath());
    exchange.reset();
    exchange.header("Retry-After", Defaults.RETRY_AFTER_WHILE_DATABASE_DOWN);
    error(
        exchange,
        503,
        "temporarily_unavailable",
        "the server cannot reach its database; try again shortly");
  }

  private void failed(Route route, JettyExchange exchange, Request request, Exception e) {
    metrics.request(route.metric(), "server_error");
    log.error(
        "unexpected failure on {} {}: {}",
        request.getMethod(),
        request.getHttpURI().getPath(),
        e.getClass().getName());
    exchange.reset();
    error(exchange, 500, "server_error", "the server failed; try again later");
  }

  /** An OAuth error object (RFC 6749 §5.2) with a status other than the 400 or 401 of §5.2. */
  private static void error(OAuthExchange exchange, int status, String code, String description) {
    OAuthResponses.json(
        exchange,
        status,
        Json.newObject().put("error", code).put("error_description", description));
  }

  /** Routes ignore one trailing slash, as the pages' router does. */
  private static String normalise(String path) {
    return path != null && path.length() > 1 && path.endsWith("/")
        ? path.substring(0, path.length() - 1)
        : path;
  }

  /** The {@code error} of an error answer a handler wrote itself (rare: a refusal with headers). */
  private static String errorCode(JettyExchange exchange) {
    try {
      return Json.mapper()
          .readTree(exchange.result())
          .path("error")
          .asText("http_" + exchange.statusCode());
    } catch (IOException | RuntimeException e) {
      return "http_" + exchange.statusCode();
    }
  }

  /** A request as Jetty's core API gives it, and an answer kept until it is sent whole. */
  private static final class JettyExchange implements OAuthExchange {
    private final Request request;
    private final HttpFields.Mutable headers = HttpFields.build();
    private int status = 200;
    private String contentType;
    private String body = "";

    JettyExchange(Request request) {
      this.request = request;
    }

    @Override
    public String header(String name) {
      return request.getHeaders().get(name);
    }

    @Override
    public List<String> headers(String name) {
      return request.getHeaders().getValuesList(name);
    }

    @Override
    public String remoteAddress() {
      return Request.getRemoteAddr(request);
    }

    @Override
    public String contentType() {
      return request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    }

    @Override
    public String queryString() {
      return request.getHttpURI().getQuery();
    }

    @Override
    public long contentLength() {
      return request.getLength();
    }

    @Override
    public InputStream bodyInputStream() {
      return Content.Source.asInputStream(request);
    }

    @Override
    public void status(int status) {
      this.status = status;
    }

    @Override
    public int statusCode() {
      return status;
    }

    @Override
    public void header(String name, String value) {
      headers.put(name, value);
    }

    @Override
    public void contentType(String type) {
      this.contentType = type;
    }

    @Override
    public void result(String body) {
      this.body = body;
    }

    @Override
    public String result() {
      return body;
    }

    /** Forgets what a failed handler had set, before the error answer. */
    void reset() {
      headers.clear();
      status = 200;
      contentType = null;
      body = "";
    }

    void send(Response response, Callback callback, boolean head) {
      response.setStatus(status);
      HttpFields.Mutable out = response.getHeaders();
      SecurityHeaders.answer(out);
      for (HttpField field : headers) {
        out.put(field);
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      if (contentType != null) {
        out.put(HttpHeader.CONTENT_TYPE, contentType);
      }
      out.put(HttpHeader.CONTENT_LENGTH, bytes.length);
      response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes), callback);
    }
  }
}
