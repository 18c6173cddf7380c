package io.devicelogin.server.http;

import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.metrics.Metrics;
import io.devicelogin.server.protocol.OAuthExchange;
import io.devicelogin.server.store.StoreException;
import io.devicelogin.server.web.WebPages;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every route of the server on one Jetty: the OAuth endpoints ({@link OAuthRoutes}, in front of the
 * servlet layer), the pages, {@code /healthz} and {@code /metrics}.
 *
 * <p>It listens before the services exist: the issuer names the port, known only once Jetty
 * listens. Until {@link #serve} gives it the {@link Endpoints}, every request is answered {@code
 * 503}. Every answer carries the {@link SecurityHeaders}, Jetty's own error answers ({@link
 * JettyErrors}) included; a failure is a {@code 500} that says nothing of its cause.
 */
public final class HttpServer {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  /** The largest request body the pages read; the OAuth endpoints have their own, smaller bound. */
  private static final long MAX_REQUEST_SIZE = 64 * 1024;

  private final AtomicReference<Endpoints> endpoints = new AtomicReference<>();
  private final Javalin app;

  /**
   * Ready to listen on {@code host} port {@code port} (0 for a free one).
   *
   * @param overHttps people reach it over https (through a proxy that terminates TLS): every answer
   *     carries HSTS
   */
  public HttpServer(String host, int port, Metrics metrics, boolean overHttps) {
    this(host, port, metrics, overHttps, ConnectionLimits.ofDefaults(), Set.of());
  }

  /**
   * @param limits what one sender may hold while it sends
   * @param trustedProxies the {@code --trusted-proxy} blocks, whose connections are not capped
   */
  public HttpServer(
      String host,
      int port,
      Metrics metrics,
      boolean overHttps,
      ConnectionLimits limits,
      Set<String> trustedProxies) {
    OAuthRoutes oauth = oauthRoutes(metrics);
    JettyErrors errors = new JettyErrors(overHttps);
    ConnectionsPerAddress perAddress =
        new ConnectionsPerAddress(
            limits.perAddress() == 0 ? Integer.MAX_VALUE : limits.perAddress(),
            trustedProxies,
            () -> metrics.rateLimited("connections_per_address"));
    app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.startup.showOldJavalinVersionWarning = false;
              cfg.jetty.port = port;
              cfg.jetty.host = host;
              // Javalin's own connector, with the cap on connections per address and the deadline
              // of request heads.
              cfg.jetty.addConnector(
                  (server, http) -> {
                    ServerConnector connector =
                        new ServerConnector(server, new HttpConnectionFactory(http));
                    connector.setHost(host);
                    connector.setPort(port);
                    connector.addEventListener(perAddress);
                    connector.addEventListener(new HeadDeadline(limits.requestDeadline()));
                    return connector;
                  });
              cfg.http.maxRequestSize = MAX_REQUEST_SIZE;
              // A page asked with a method it does not answer is a 405 with Allow, not a 404.
              cfg.http.prefer405over404 = true;
              cfg.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
              cfg.jetty.modifyServer(
                  server -> {
                    // The OAuth endpoints in front of the servlet layer; Javalin puts its own
                    // handler inside.
                    server.setHandler(
                        new RequestDeadline(
                            limits, oauth::serves, overHttps ? new StrictTransport(oauth) : oauth));
                    server.setErrorHandler(errors);
                  });
              cfg.routes.before(
                  ctx -> {
                    SecurityHeaders.answer(ctx);
                    if (endpoints.get() == null) {
                      ctx.header("Retry-After", Defaults.RETRY_AFTER_WHILE_STARTING);
                      throw new HttpResponseException(503, "starting");
                    }
                  });
              cfg.routes.get("/healthz", ctx -> endpoints.get().health().answer(ctx));
              cfg.routes.get(
                  "/metrics",
                  ctx -> {
                    ctx.header("Cache-Control", "no-store");
                    ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
                    ctx.result(metrics.scrape());
                  });
              // RFC 9110 §15.5.6: a 405 names the methods the path answers, as Javalin's router
              // found them.
              cfg.routes.exception(
                  MethodNotAllowedResponse.class,
                  (e, ctx) -> {
                    e.getDetails().values().stream()
                        .findFirst()
                        .ifPresent(methods -> ctx.header("Allow", methods));
                    ctx.status(405)
                        .contentType("text/plain; charset=utf-8")
                        .result("this address does not answer " + ctx.method());
                  });
              cfg.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    if (e instanceof StoreException store && store.isUnavailable()) {
                      log.warn(
                          "the database is unavailable: {} {} answered 503",
                          ctx.method(),
                          ctx.path());
                      ctx.status(503)
                          .header("Retry-After", Defaults.RETRY_AFTER_WHILE_DATABASE_DOWN)
                          .contentType("text/plain; charset=utf-8")
                          .result(
                              "The service cannot reach its database. Try again in a few seconds.");
                      return;
                    }
                    log.error(
                        "unexpected failure on {} {}: {}",
                        ctx.method(),
                        ctx.path(),
                        e.getClass().getName());
                    ctx.status(500)
                        .contentType("text/plain; charset=utf-8")
                        .result("Something went wrong on our side.");
                  });
              WebPages.register(cfg.routes, () -> endpoints.get().context(), SecurityHeaders::page);
            });
  }

  private OAuthRoutes oauthRoutes(Metrics metrics) {
    OAuthRoutes routes = new OAuthRoutes(metrics, () -> endpoints.get() != null);
    // RFC 8414's address of the metadata, and OpenID Connect Discovery's for the same document.
    for (String metadata :
        List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
      routes.add("GET", metadata, "metadata", to((e, x) -> e.metadata().handle(x)));
    }
    return routes
        .add("GET", "/jwks", "jwks", to((e, x) -> e.jwks().handle(x)))
        .add(
            "POST",
            "/oauth2/device_authorization",
            "device_authorization",
            to((e, x) -> e.device().handle(x)))
        .add("POST", "/oauth2/token", "token", to((e, x) -> e.token().handle(x)))
        .add("POST", "/oauth2/revoke", "revoke", to((e, x) -> e.revoke().handle(x)))
        .add("POST", "/oauth2/introspect", "introspect", to((e, x) -> e.introspect().handle(x)))
        .add("GET", "/userinfo", "userinfo", to((e, x) -> e.userinfo().handle(x)))
        .add("POST", "/userinfo", "userinfo", to((e, x) -> e.userinfo().handle(x)));
  }

  /** A call to one of the endpoints, which exist once the server serves. */
  @FunctionalInterface
  private interface Call {
    void handle(Endpoints endpoints, OAuthExchange exchange) throws Exception;
  }

  private OAuthRoutes.Endpoint to(Call call) {
    return exchange -> call.handle(endpoints.get(), exchange);
  }

  /**
   * Starts Jetty.
   *
   * @throws RuntimeException as Jetty and Javalin throw it when the address cannot be listened on
   */
  public void start() {
    app.start();
  }

  /** From now on the routes answer, with these. */
  public void serve(Endpoints served) {
    endpoints.set(served);
  }

  /** The port Jetty listens on. */
  public int port() {
    return app.port();
  }

  public void stop() {
    app.stop();
  }

  /** Puts HSTS on every answer before anything behind it writes one. */
  private static final class StrictTransport extends Handler.Wrapper {
    StrictTransport(Handler handler) {
      super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      SecurityHeaders.strictTransport(response.getHeaders());
      return super.handle(request, response, callback);
    }
  }
}
