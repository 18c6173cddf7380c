package io.devicelogin.server;

import io.devicelogin.client.Secret;
import io.devicelogin.client.wire.Json;
import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.device.DeviceAuthorizationService;
import io.devicelogin.server.device.PollClock;
import io.devicelogin.server.grant.SigningKeys;
import io.devicelogin.server.grant.TokenService;
import io.devicelogin.server.identity.PasswordHasher;
import io.devicelogin.server.identity.UserService;
import io.devicelogin.server.oauth.ClientAuthentication;
import io.devicelogin.server.oauth.DeviceAuthorizationEndpoint;
import io.devicelogin.server.oauth.IntrospectionEndpoint;
import io.devicelogin.server.oauth.JwksEndpoint;
import io.devicelogin.server.oauth.MetadataEndpoint;
import io.devicelogin.server.oauth.OAuthProblem;
import io.devicelogin.server.oauth.OAuthResponses;
import io.devicelogin.server.oauth.RevocationEndpoint;
import io.devicelogin.server.oauth.TokenEndpoint;
import io.devicelogin.server.oauth.UserinfoEndpoint;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.policy.ClientRegistry;
import io.devicelogin.server.policy.RateLimiter;
import io.devicelogin.server.store.Database;
import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.web.RequestOrigin;
import io.devicelogin.server.web.WebPages;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization server: wiring, lifecycle and {@code main}.
 *
 * <pre>java -jar server/target/devicelogin-server.jar --port 8080 --data-dir DIR [--db-url JDBC-URL]
 *     [--config FILE] [--demo]</pre>
 */
public final class DeviceLoginServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeviceLoginServer.class);

  private final Javalin app;
  private final ServerContext context;
  private final ScheduledExecutorService sweeper;

  private DeviceLoginServer(Javalin app, ServerContext context, ScheduledExecutorService sweeper) {
    this.app = app;
    this.context = context;
    this.sweeper = sweeper;
  }

  public static void main(String[] args) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(ServerConfig.USAGE);
      return;
    }
    ServerConfig config;
    try {
      config = ServerConfig.parse(List.of(args), System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("devicelogin-server: " + e.getMessage());
      System.err.println(ServerConfig.USAGE);
      System.exit(2);
      return;
    }
    try {
      DeviceLoginServer server = start(config, Clock.systemUTC(), new SecureRandom(), System.out);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "devicelogin-shutdown"));
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("devicelogin-server: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Starts a server. {@code out} receives the URL it listens on and, with {@code --demo}, the demo
   * credentials the first time they are created.
   */
  public static DeviceLoginServer start(ServerConfig config, Clock clock, SecureRandom random, PrintStream out) {
    Database database = openDatabase(config);
    try {
      return start(config, database, clock, random, out);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  private static DeviceLoginServer start(ServerConfig config, Database database, Clock clock, SecureRandom random,
      PrintStream out) {
    ClientRegistry clients = config.configFile().map(ClientRegistry::load)
        .orElseGet(() -> new ClientRegistry(List.of(), Map.of()));
    if (config.demo()) {
      clients = clients.withIfAbsent(ClientRegistry.demoClient());
    }
    Jdbc jdbc = new Jdbc(database.dataSource());
    UserService users = new UserService(jdbc, new PasswordHasher(random), clock);
    AuditLog audit = new AuditLog(jdbc, clock);
    Metrics metrics = new Metrics();
    RequestOrigin origins = new RequestOrigin(config.trustedProxies());
    RateLimiter limiter = new RateLimiter(clock, Duration.ofMinutes(1));
    SigningKeys keys = SigningKeys.loadOrCreate(jdbc, clock);
    Duration longest = clients.all().stream().map(ClientPolicy::deviceCodeLifetime).max(Duration::compareTo)
        .orElse(Defaults.DEVICE_CODE_LIFETIME);
    PollClock pollClock = new PollClock(longest, Defaults.POLL_GRACE);

    // The issuer names the port, which is known only once Jetty listens: handlers wait for it.
    AtomicReference<Routes> routes = new AtomicReference<>();
    Javalin app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.jetty.port = config.port();
      cfg.jetty.host = config.host();
      cfg.http.maxRequestSize = 64 * 1024;
      cfg.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
      cfg.routes.before(ctx -> {
        if (routes.get() == null) {
          throw new io.javalin.http.HttpResponseException(503, "starting");
        }
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        ctx.header("X-Frame-Options", "DENY");
      });
      cfg.routes.get("/.well-known/oauth-authorization-server", ctx -> routes.get().metadata.handle(ctx));
      cfg.routes.get("/.well-known/openid-configuration", ctx -> routes.get().metadata.handle(ctx));
      cfg.routes.get("/jwks", ctx -> routes.get().jwks.handle(ctx));
      cfg.routes.post("/oauth2/device_authorization",
          oauth("device_authorization", metrics, ctx -> routes.get().device.handle(ctx)));
      cfg.routes.post("/oauth2/token", oauth("token", metrics, ctx -> routes.get().token.handle(ctx)));
      cfg.routes.post("/oauth2/revoke", oauth("revoke", metrics, ctx -> routes.get().revoke.handle(ctx)));
      cfg.routes.post("/oauth2/introspect", oauth("introspect", metrics, ctx -> routes.get().introspect.handle(ctx)));
      cfg.routes.get("/userinfo", oauth("userinfo", metrics, ctx -> routes.get().userinfo.handle(ctx)));
      cfg.routes.post("/userinfo", oauth("userinfo", metrics, ctx -> routes.get().userinfo.handle(ctx)));
      cfg.routes.get("/healthz", ctx -> {
        ctx.header("Cache-Control", "no-store");
        ctx.json(Map.of("status", "ok"));
      });
      cfg.routes.get("/metrics", ctx -> {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
        ctx.result(metrics.scrape());
      });
      cfg.routes.exception(OAuthProblem.class, (e, ctx) -> OAuthResponses.error(ctx, e));
      cfg.routes.exception(Exception.class, (e, ctx) -> {
        log.error("unexpected failure on {} {}: {}", ctx.method(), ctx.path(), e.getClass().getName());
        if (ctx.path().startsWith("/oauth2/")) {
          OAuthResponses.json(ctx, 500, Json.newObject().put("error", "server_error")
              .put("error_description", "the server failed; try again later"));
        } else {
          ctx.status(500).contentType("text/plain; charset=utf-8").result("Something went wrong on our side.");
        }
      });
      WebPages.register(cfg.routes, new LazyContext(routes).context());
    });
    app.start();
    int port = app.port();
    String issuer = config.issuer().orElse("http://localhost:" + port);
    TokenService tokens = new TokenService(jdbc, keys, audit, users, clock, random, issuer);
    DeviceAuthorizationService devices = new DeviceAuthorizationService(jdbc, clients, tokens, audit, pollClock,
        random, clock, URI.create(issuer + "/device"));
    metrics.pendingAuthorizations(devices::pendingCount);
    ServerContext context = new ServerContext(issuer, issuer.startsWith("https://"), clock, random, database, jdbc,
        clients, users, audit, tokens, devices, origins, limiter, metrics);
    ClientAuthentication authentication = new ClientAuthentication(clients);
    routes.set(new Routes(context, new MetadataEndpoint(issuer, clients), new JwksEndpoint(keys),
        new DeviceAuthorizationEndpoint(authentication, devices, origins, limiter, audit, metrics),
        new TokenEndpoint(authentication, devices, tokens, origins, metrics),
        new RevocationEndpoint(authentication, tokens, origins),
        new IntrospectionEndpoint(authentication, tokens),
        new UserinfoEndpoint(tokens, users)));
    if (config.demo()) {
      createDemoUser(config, users, out);
    }
    ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "devicelogin-sweeper");
      t.setDaemon(true);
      return t;
    });
    sweeper.scheduleWithFixedDelay(() -> {
      try {
        devices.sweepExpired();
      } catch (RuntimeException e) {
        log.warn("sweeping expired codes failed: {}", e.getMessage());
      }
    }, 30, 30, TimeUnit.SECONDS);
    out.println("devicelogin server listening on " + issuer + " (device page " + issuer + "/device)");
    out.flush();
    return new DeviceLoginServer(app, context, sweeper);
  }

  private static Database openDatabase(ServerConfig config) {
    if (config.dbUrl().isPresent()) {
      return Database.jdbc(config.dbUrl().get(), config.dbUser().orElse(null), config.dbPassword().orElse(null));
    }
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create the data directory " + config.dataDir() + ": " + e.getMessage());
    }
    return Database.h2(config.dataDir());
  }

  private static void createDemoUser(ServerConfig config, UserService users, PrintStream out) {
    if (users.findByUsername("demo").isPresent()) {
      return;
    }
    boolean generated = config.demoPassword().isEmpty();
    Secret password = config.demoPassword().map(Secret::of)
        .orElseGet(() -> Hashing.newSecret(new SecureRandom()));
    users.create("demo", "Demo User", "demo@example.com", password, true);
    if (generated) {
      // Printed once, to the terminal of the person who started the demo; never logged.
      out.println("Demo user created: username demo, password " + password.revealForTransmission()
          + " (shown once; set DEVICELOGIN_DEMO_PASSWORD to choose it)");
    } else {
      out.println("Demo user created: username demo, password from DEVICELOGIN_DEMO_PASSWORD");
    }
  }

  /** Counts each OAuth request by endpoint and outcome. */
  private static Handler oauth(String endpoint, Metrics metrics, Handler handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
        metrics.request(endpoint, "ok");
      } catch (OAuthProblem e) {
        metrics.request(endpoint, e.code());
        throw e;
      } catch (Exception e) {
        metrics.request(endpoint, "server_error");
        throw e;
      }
    };
  }

  public ServerContext context() {
    return context;
  }

  public int port() {
    return app.port();
  }

  public String issuer() {
    return context.issuer();
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    app.stop();
    context.database().close();
  }

  private record Routes(ServerContext context, MetadataEndpoint metadata, JwksEndpoint jwks,
      DeviceAuthorizationEndpoint device, TokenEndpoint token, RevocationEndpoint revoke,
      IntrospectionEndpoint introspect, UserinfoEndpoint userinfo) {}

  /** Gives the pages the context once it exists. */
  private record LazyContext(AtomicReference<Routes> routes) {
    java.util.function.Supplier<ServerContext> context() {
      return () -> routes.get().context();
    }
  }
}
