package io.devicelogin.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.devicelogin.client.Secret;
import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.device.DatabasePollClock;
import io.devicelogin.server.device.DeviceAuthorizationService;
import io.devicelogin.server.device.InMemoryPollClock;
import io.devicelogin.server.device.PollClock;
import io.devicelogin.server.grant.SigningKeys;
import io.devicelogin.server.grant.TokenService;
import io.devicelogin.server.identity.BrowserSessions;
import io.devicelogin.server.identity.PasswordHasher;
import io.devicelogin.server.identity.UserService;
import io.devicelogin.server.metrics.Metrics;
import io.devicelogin.server.oauth.ClientAuthentication;
import io.devicelogin.server.oauth.DeviceAuthorizationEndpoint;
import io.devicelogin.server.oauth.IntrospectionEndpoint;
import io.devicelogin.server.oauth.JwksEndpoint;
import io.devicelogin.server.oauth.MetadataEndpoint;
import io.devicelogin.server.oauth.OAuthRoutes;
import io.devicelogin.server.oauth.RevocationEndpoint;
import io.devicelogin.server.oauth.TokenEndpoint;
import io.devicelogin.server.oauth.UserinfoEndpoint;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.policy.ClientRegistry;
import io.devicelogin.server.policy.DatabaseRateLimiter;
import io.devicelogin.server.policy.InMemoryRateLimiter;
import io.devicelogin.server.policy.RateLimiter;
import io.devicelogin.server.protocol.RequestOrigin;
import io.devicelogin.server.store.Database;
import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.store.StoreException;
import io.devicelogin.server.web.ServerContext;
import io.devicelogin.server.web.WebPages;
import io.javalin.Javalin;
import io.javalin.http.ContentType;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.URI;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization server: wiring, lifecycle and {@code main}.
 *
 * <pre>
 * java -jar server/target/devicelogin-server.jar --port 8080 --data-dir DIR [--db-url JDBC-URL]
 *     [--config FILE] [--demo]</pre>
 */
public final class DeviceLoginServer implements AutoCloseable {
  /**
   * Created at the first log line, not when this class loads: {@link #main} chooses the logging
   * configuration before any logger exists.
   */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(DeviceLoginServer.class);
  }

  /**
   * What {@code /healthz} answers, written out once: the first probe, the one that says the server
   * is ready, should not wait for Javalin's JSON mapper to start for two constant objects.
   */
  private static final String HEALTHY = "{\"status\":\"ok\"}";

  private static final String UNHEALTHY =
      "{\"status\":\"unavailable\",\"database\":\"not answering\"}";

  /** The user {@code --demo} creates. */
  public static final String DEMO_USERNAME = "demo";

  private final Javalin app;
  private final ServerContext context;
  private final ScheduledExecutorService sweeper;
  private final HealthCheck health;

  private DeviceLoginServer(
      Javalin app, ServerContext context, ScheduledExecutorService sweeper, HealthCheck health) {
    this.app = app;
    this.context = context;
    this.sweeper = sweeper;
    this.health = health;
  }

  public static void main(String[] args) {
    ServerLogging.chooseForServerProcess();
    answerJettysCacheLineQuestion();
    int code = run(List.of(args), System.getenv(), System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Jetty's documented property for how many object references fill a cache line. */
  static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

  /**
   * Answers, before Jetty asks, how many object references fill a cache line: Jetty pads its queues
   * with it and, unless {@value #REFERENCES_PER_CACHE_LINE} says, asks whether the JVM compresses
   * object pointers through the platform MBean server, which loads and registers every platform
   * MBean, JFR's among them, on the way (about 0.1 s of every start on an idle machine). The
   * HotSpot diagnostic bean alone answers the same question for a fraction of that, and the value
   * is the one Jetty would compute: a cache line of {@code org.eclipse.jetty.util.cacheLineBytes}
   * (64) over 4 bytes per compressed reference, or 8 per plain one. A property already set, or a
   * JVM without that bean, is left to Jetty.
   */
  static void answerJettysCacheLineQuestion() {
    if (System.getProperty(REFERENCES_PER_CACHE_LINE) != null) {
      return;
    }
    int cacheLine;
    try {
      cacheLine =
          Integer.parseInt(System.getProperty("org.eclipse.jetty.util.cacheLineBytes", "64"));
    } catch (NumberFormatException e) {
      cacheLine = 64;
    }
    try {
      HotSpotDiagnosticMXBean hotspot =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      boolean compressed =
          Boolean.parseBoolean(hotspot.getVMOption("UseCompressedOops").getValue());
      System.setProperty(
          REFERENCES_PER_CACHE_LINE,
          Integer.toString(compressed ? cacheLine >> 2 : cacheLine >> 3));
    } catch (RuntimeException | LinkageError e) {
      // Jetty asks for itself.
    }
  }

  /**
   * Runs the command line: prints the usage for {@code --help}, or starts a server that runs until
   * the JVM stops (it closes on shutdown).
   *
   * @return the exit code: 0 when the server listens or after {@code --help}; 2 for a command line
   *     that is wrong, after a one-line message and the usage on {@code err}; 1 when the server
   *     cannot start, after a one-line message on {@code err} (no stack trace: the message says it)
   */
  public static int run(
      List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (ServerConfig.wantsHelp(args)) {
      out.println(ServerConfig.USAGE);
      out.flush();
      return 0;
    }
    ServerConfig config;
    try {
      config = ServerConfig.parse(args, env);
    } catch (IllegalArgumentException e) {
      err.println("devicelogin-server: " + e.getMessage());
      err.println();
      err.println(ServerConfig.USAGE);
      err.flush();
      return 2;
    }
    try {
      DeviceLoginServer server = start(config, Clock.systemUTC(), new SecureRandom(), out);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "devicelogin-shutdown"));
      return 0;
    } catch (StartupException e) {
      err.println("devicelogin-server: " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  /**
   * The server could not start for a reason the person who started it can fix: the configuration
   * file, the data directory, the database, the port. The message says which, in one line.
   */
  public static final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StartupException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Starts a server. {@code out} receives the URL it listens on and, with {@code --demo}, the demo
   * credentials the first time they are created.
   *
   * @throws StartupException when the configuration file, the data directory, the database or the
   *     address to listen on is not usable; nothing is left open
   */
  public static DeviceLoginServer start(
      ServerConfig config, Clock clock, SecureRandom random, PrintStream out) {
    // Logging starts here, on this thread: a logger first asked for on two threads at once while
    // Logback starts would be a stand-in whose early lines SLF4J replays with a warning.
    org.slf4j.ILoggerFactory logging = LoggerFactory.getILoggerFactory();
    // ServerLogging installed the filter when Logback started, unless another configurator ran
    // alone (an application that embeds the server may bring one). By name: with another SLF4J
    // back end, Logback's classes may be absent.
    if (logging.getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
      WireDumpFilter.install((ch.qos.logback.classic.LoggerContext) logging);
    }
    // The configuration and the database (opening, migrating, the signing keys) on one side, the
    // HTTP server (Javalin, Jetty) on the other, need nothing of each other until the services are
    // made, and each costs a good part of a second, most of it loading classes: they start side by
    // side. The order of what can go wrong stays as it was: the configuration is read before the
    // data directory is touched or the port opened, and a database that cannot be opened is said
    // before a port that is taken. Until the services exist every request is answered 503, as
    // before; the URL is printed only once the server serves.
    BackgroundStart background = BackgroundStart.begin(config, clock);
    ClientRegistry clients;
    Metrics metrics;
    Javalin app;
    AtomicReference<Routes> routes = new AtomicReference<>();
    try {
      metrics = new Metrics();
      app = http(config, metrics, routes);
      clients = background.clients();
      listen(app, config);
    } catch (RuntimeException e) {
      RuntimeException reported = e;
      try {
        background.storage().database().close();
      } catch (RuntimeException backgroundFailure) {
        reported = backgroundFailure;
      }
      throw reported;
    }
    Storage storage;
    try {
      storage = background.storage();
    } catch (RuntimeException e) {
      app.stop();
      throw e;
    }
    try {
      return start(config, clients, storage, app, metrics, routes, clock, random, out);
    } catch (RuntimeException e) {
      app.stop();
      storage.database().close();
      throw e;
    }
  }

  /** The database, migrated, and the signing keys it holds. */
  private record Storage(Database database, SigningKeys keys) {}

  /**
   * On a thread of its own: the clients of the configuration, then the storage. A configuration
   * that cannot be read fails both, and leaves no data directory behind.
   */
  private static final class BackgroundStart {
    private final CompletableFuture<ClientRegistry> clients = new CompletableFuture<>();
    private final CompletableFuture<Storage> storage = new CompletableFuture<>();

    static BackgroundStart begin(ServerConfig config, Clock clock) {
      BackgroundStart start = new BackgroundStart();
      Thread thread = new Thread(start.work(config, clock), "devicelogin-start");
      thread.setDaemon(true);
      thread.start();
      return start;
    }

    private Runnable work(ServerConfig config, Clock clock) {
      return () -> {
        try {
          clients.complete(DeviceLoginServer.clients(config));
        } catch (Throwable e) {
          clients.completeExceptionally(e);
          storage.completeExceptionally(e);
          return;
        }
        try {
          storage.complete(openStorage(config, clock));
        } catch (Throwable e) {
          storage.completeExceptionally(e);
        }
      };
    }

    private static Storage openStorage(ServerConfig config, Clock clock) {
      Database database = openDatabase(config);
      try {
        return new Storage(
            database, SigningKeys.loadOrCreate(new Jdbc(database.dataSource()), clock));
      } catch (RuntimeException e) {
        database.close();
        throw e;
      }
    }

    /** The clients, or why the configuration cannot be used (a {@link StartupException}). */
    ClientRegistry clients() {
      return await(clients);
    }

    /**
     * The storage once open, or the reason it could not be (a {@link StartupException} as a rule).
     */
    Storage storage() {
      return await(storage);
    }

    private static <T> T await(CompletableFuture<T> future) {
      try {
        return future.join();
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException) {
          throw (RuntimeException) cause;
        }
        if (cause instanceof Error) {
          throw (Error) cause;
        }
        throw e;
      }
    }
  }

  /**
   * The HTTP side: every route, answering 503 until {@code routes} is set. The issuer names the
   * port, which is known only once Jetty listens, so the handlers find their services there.
   */
  private static Javalin http(
      ServerConfig config, Metrics metrics, AtomicReference<Routes> routes) {
    OAuthRoutes oauth =
        new OAuthRoutes(metrics, () -> routes.get() != null)
            .add(
                "GET",
                "/.well-known/oauth-authorization-server",
                "metadata",
                x -> routes.get().metadata.handle(x))
            .add(
                "GET",
                "/.well-known/openid-configuration",
                "metadata",
                x -> routes.get().metadata.handle(x))
            .add("GET", "/jwks", "jwks", x -> routes.get().jwks.handle(x))
            .add(
                "POST",
                "/oauth2/device_authorization",
                "device_authorization",
                x -> routes.get().device.handle(x))
            .add("POST", "/oauth2/token", "token", x -> routes.get().token.handle(x))
            .add("POST", "/oauth2/revoke", "revoke", x -> routes.get().revoke.handle(x))
            .add("POST", "/oauth2/introspect", "introspect", x -> routes.get().introspect.handle(x))
            .add("GET", "/userinfo", "userinfo", x -> routes.get().userinfo.handle(x))
            .add("POST", "/userinfo", "userinfo", x -> routes.get().userinfo.handle(x));
    return Javalin.create(
        cfg -> {
          cfg.startup.showJavalinBanner = false;
          cfg.startup.showOldJavalinVersionWarning = false;
          cfg.jetty.port = config.port();
          cfg.jetty.host = config.host();
          cfg.http.maxRequestSize = 64 * 1024;
          cfg.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
          // The OAuth endpoints in front of the servlet layer; Javalin puts its own handler inside.
          cfg.jetty.modifyServer(server -> server.setHandler(oauth));
          cfg.routes.before(
              ctx -> {
                if (routes.get() == null) {
                  throw new io.javalin.http.HttpResponseException(503, "starting");
                }
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Referrer-Policy", "no-referrer");
                ctx.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
                ctx.header("X-Frame-Options", "DENY");
              });
          cfg.routes.get(
              "/healthz",
              ctx -> {
                ctx.header("Cache-Control", "no-store");
                if (routes.get().health.databaseAnswers()) {
                  ctx.contentType(ContentType.APPLICATION_JSON).result(HEALTHY);
                } else {
                  ctx.status(503).contentType(ContentType.APPLICATION_JSON).result(UNHEALTHY);
                }
              });
          cfg.routes.get(
              "/metrics",
              ctx -> {
                ctx.header("Cache-Control", "no-store");
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
                ctx.result(metrics.scrape());
              });
          cfg.routes.exception(
              Exception.class,
              (e, ctx) -> {
                Log.LOG.error(
                    "unexpected failure on {} {}: {}",
                    ctx.method(),
                    ctx.path(),
                    e.getClass().getName());
                ctx.status(500)
                    .contentType("text/plain; charset=utf-8")
                    .result("Something went wrong on our side.");
              });
          WebPages.register(cfg.routes, new LazyContext(routes).context());
        });
  }

  /** The services, once both the database and Jetty are up; then the routes answer. */
  private static DeviceLoginServer start(
      ServerConfig config,
      ClientRegistry clients,
      Storage storage,
      Javalin app,
      Metrics metrics,
      AtomicReference<Routes> routes,
      Clock clock,
      SecureRandom random,
      PrintStream out) {
    Database database = storage.database();
    SigningKeys keys = storage.keys();
    Jdbc jdbc = new Jdbc(database.dataSource());
    UserService users = new UserService(jdbc, new PasswordHasher(random), clock);
    AuditLog audit = new AuditLog(jdbc, clock);
    RequestOrigin origins = new RequestOrigin(config.trustedProxies());
    // What must hold across instances lives where they all see it. Several instances share only a
    // PostgreSQL (an H2 file opens in one process): there, the rate limits and the poll clock are
    // kept in the database, at a write per accepted request and per pending poll, so that they hold
    // for all instances together. On H2 there is one process, for which memory is exact, and a
    // pending poll writes nothing.
    RateLimiter limiter;
    PollClock pollClock;
    if (database.isPostgres()) {
      Jdbc asynchronous = new Jdbc(database.asynchronousCommits());
      limiter = new DatabaseRateLimiter(asynchronous, clock, Duration.ofMinutes(1));
      pollClock = new DatabasePollClock(asynchronous, Defaults.POLL_GRACE);
    } else {
      limiter = new InMemoryRateLimiter(clock, Duration.ofMinutes(1));
      Duration longest =
          clients.all().stream()
              .map(ClientPolicy::deviceCodeLifetime)
              .max(Duration::compareTo)
              .orElse(Defaults.DEVICE_CODE_LIFETIME);
      pollClock = new InMemoryPollClock(jdbc, longest, Defaults.POLL_GRACE);
    }
    HealthCheck health = new HealthCheck(database, Defaults.HEALTH_CHECK_TIMEOUT);
    String issuer = config.issuer().orElse(defaultIssuer(config.host(), app.port()));
    TokenService tokens = new TokenService(jdbc, keys, audit, users, clock, random, issuer);
    tokens.onGrantRevoked(metrics::grantRevoked);
    DeviceAuthorizationService devices =
        new DeviceAuthorizationService(
            jdbc, clients, tokens, audit, pollClock, random, clock, URI.create(issuer + "/device"));
    metrics.pendingAuthorizations(devices::pendingCount);
    ServerContext context =
        new ServerContext(
            issuer,
            issuer.startsWith("https://"),
            clock,
            random,
            database,
            jdbc,
            clients,
            users,
            audit,
            tokens,
            devices,
            origins,
            limiter,
            metrics,
            new BrowserSessions(jdbc, clock, random, Defaults.BROWSER_SESSION_LIFETIME));
    // The demo user exists before the first request is served: until then every route, /healthz
    // included, answers 503, so that nothing (a person, a load balancer, a test) is told the server
    // is ready while signing in as the demo user would still fail. Hashing its password takes a
    // good part of a second. A failure here leaves nothing running: the caller stops Jetty and
    // closes the database.
    if (config.demo()) {
      createDemoUser(
          config, clients.find(ClientRegistry.DEMO_CLIENT_ID).orElseThrow(), users, random, out);
    } else if (clients.all().isEmpty()) {
      out.println(
          "No clients are registered: start with --demo, or describe them in --config FILE (see the"
              + " README).");
    }
    ClientAuthentication authentication = new ClientAuthentication(clients);
    routes.set(
        new Routes(
            context,
            health,
            new MetadataEndpoint(issuer, clients),
            new JwksEndpoint(keys),
            new DeviceAuthorizationEndpoint(
                authentication, devices, origins, limiter, clients.rateLimits(), audit, metrics),
            new TokenEndpoint(authentication, devices, tokens, origins, metrics),
            new RevocationEndpoint(authentication, tokens, origins),
            new IntrospectionEndpoint(authentication, tokens),
            new UserinfoEndpoint(tokens, users)));
    ScheduledExecutorService sweeper =
        Executors.newSingleThreadScheduledExecutor(daemon("devicelogin-sweeper"));
    sweeper.scheduleWithFixedDelay(
        () -> {
          try {
            devices.sweepExpired();
            context.sessions().sweepExpired();
            limiter.forgetEndedWindows();
          } catch (RuntimeException e) {
            Log.LOG.warn(
                "sweeping expired codes, sessions or rate limit windows failed: {}",
                e.getMessage());
          }
        },
        30,
        30,
        TimeUnit.SECONDS);
    DeviceLoginServer server = new DeviceLoginServer(app, context, sweeper, health);
    out.println(
        "devicelogin server listening on " + issuer + " (device page " + issuer + "/device)");
    out.flush();
    return server;
  }

  /** The clients of the configuration file, with the demo client when asked for. */
  private static ClientRegistry clients(ServerConfig config) {
    ClientRegistry clients;
    try {
      clients =
          config
              .configFile()
              .map(ClientRegistry::load)
              .orElseGet(() -> new ClientRegistry(List.of(), Map.of()));
    } catch (IllegalArgumentException e) {
      throw new StartupException(e.getMessage(), e);
    }
    // A client of the same id in the file wins: the file is where policy is decided.
    return config.demo() ? clients.withIfAbsent(ClientRegistry.demoClient()) : clients;
  }

  /** Starts Jetty, or says in one line why it cannot listen. */
  private static void listen(Javalin app, ServerConfig config) {
    try {
      app.start();
    } catch (RuntimeException e) {
      app.stop();
      String reason =
          cause(e, BindException.class)
              .map(Throwable::getMessage)
              .orElse("")
              .toLowerCase(Locale.ROOT);
      if (reason.contains("in use")) {
        throw new StartupException(
            "port "
                + config.port()
                + " is in use; stop what listens there or choose"
                + " another with --port",
            e);
      }
      if (reason.contains("permission denied")) {
        throw new StartupException(
            "no permission to listen on port "
                + config.port()
                + " (ports below 1024 need privileges); choose another with --port",
            e);
      }
      if (reason.contains("assign requested address")) {
        throw new StartupException(
            "cannot listen on "
                + config.host()
                + ": it is not an address of this"
                + " machine (--host 0.0.0.0 listens on all of them)",
            e);
      }
      if (cause(e, UnresolvedAddressException.class).isPresent()) {
        throw new StartupException("cannot listen on " + config.host() + ": no such host", e);
      }
      throw new StartupException(
          "cannot listen on "
              + config.host()
              + " port "
              + config.port()
              + ": "
              + firstLine(deepest(e)),
          e);
    }
  }

  private static <T extends Throwable> Optional<T> cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }

  /**
   * {@code http://localhost:PORT} for a server on loopback or on every interface, which is how a
   * person on this machine reaches it; otherwise the address it listens on.
   */
  static String defaultIssuer(String host, int port) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("127.0.0.1")
        || h.equals("localhost")
        || h.equals("0.0.0.0")
        || h.equals("::")
        || h.equals("[::]")) {
      return "http://localhost:" + port;
    }
    boolean ipv6 = h.contains(":") && !h.startsWith("[");
    return "http://" + (ipv6 ? "[" + h + "]" : h) + ":" + port;
  }

  private static Database openDatabase(ServerConfig config) {
    if (config.dbUrl().isPresent()) {
      String url = config.dbUrl().get();
      // Only the part before the parameters is shown: those may name the user.
      String shown = url.split("[?;]", 2)[0];
      try {
        return Database.jdbc(
            url,
            config.dbUser().orElse(null),
            config.dbPassword().map(Secret::revealForTransmission).orElse(null));
      } catch (RuntimeException e) {
        throw new StartupException(
            "cannot open the database " + shown + ": " + databaseReason(e), e);
      }
    }
    Path dir = config.dataDir().toAbsolutePath();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StartupException("cannot create the data directory " + dir + ": " + reason(e), e);
    }
    try {
      return Database.h2(dir);
    } catch (RuntimeException e) {
      String reason = databaseReason(e);
      if (reason.contains("already in use")) {
        throw new StartupException(
            "the data directory "
                + dir
                + " is in use by another process (another"
                + " devicelogin server?)",
            e);
      }
      throw new StartupException("cannot open the database in " + dir + ": " + reason, e);
    }
  }

  /** Why a directory could not be made, in words: the JDK's messages are often just the path. */
  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "a file of that name is in the way";
    }
    if (e instanceof NoSuchFileException) {
      return "it cannot be created there";
    }
    if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
      return ((FileSystemException) e).getReason();
    }
    return firstLine(e);
  }

  /** The driver's own words: the first SQL exception's message, else the deepest cause's. */
  private static String databaseReason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException && t.getMessage() != null) {
        return firstLine(t);
      }
    }
    return firstLine(deepest(e));
  }

  private static Throwable deepest(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static String firstLine(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
    m = m.split("\\R", 2)[0];
    return m.length() <= 300 ? m : m.substring(0, 300) + "…";
  }

  /**
   * Creates the demo user unless it exists. A generated password is printed once, to the terminal
   * of the person who started the demo, and never logged.
   */
  private static void createDemoUser(
      ServerConfig config,
      ClientPolicy client,
      UserService users,
      SecureRandom random,
      PrintStream out) {
    out.println(
        "Demo client: "
            + client.clientId()
            + " ("
            + (client.isPublic() ? "public" : "confidential")
            + "; scopes "
            + Scope.of(new TreeSet<>(client.allowedScopes())).format()
            + ")");
    if (users.findByUsername(DEMO_USERNAME).isPresent()) {
      out.println("Demo user: " + DEMO_USERNAME + " (exists, unchanged)");
      return;
    }
    Secret password = config.demoPassword().orElseGet(() -> Hashing.newSecret(random));
    try {
      users.create(DEMO_USERNAME, "Demo User", "demo@example.com", password, true);
    } catch (StoreException e) {
      if (!e.isUniqueViolation()) {
        throw e;
      }
      // Another instance on the same database created it while this one hashed the password (it
      // takes a good part of a second): theirs stands, as any existing demo user does.
      out.println("Demo user: " + DEMO_USERNAME + " (just created by another instance; unchanged)");
      return;
    }
    if (config.demoPassword().isEmpty()) {
      out.println(
          "Demo user created: username "
              + DEMO_USERNAME
              + ", password "
              + password.revealForTransmission()
              + " (shown once; set DEVICELOGIN_DEMO_PASSWORD to choose it)");
    } else {
      out.println(
          "Demo user created: username "
              + DEMO_USERNAME
              + ", password from DEVICELOGIN_DEMO_PASSWORD");
    }
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
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
    closeExceptDatabase();
    context.database().close();
  }

  private void closeExceptDatabase() {
    sweeper.shutdownNow();
    health.close();
    app.stop();
  }

  /**
   * {@code SELECT 1} against the database, bounded in time: when the database stops answering, the
   * pool waits for a connection far longer than a load balancer waits for a probe. At most one
   * check runs at a time; probes that arrive meanwhile share its answer.
   */
  private static final class HealthCheck implements AutoCloseable {
    private final Database database;
    private final Duration timeout;
    private final ExecutorService executor =
        Executors.newSingleThreadExecutor(daemon("devicelogin-healthz"));
    private CompletableFuture<Boolean> running;
    private boolean lastAnswer = true;

    HealthCheck(Database database, Duration timeout) {
      this.database = database;
      this.timeout = timeout;
    }

    boolean databaseAnswers() {
      CompletableFuture<Boolean> check;
      synchronized (this) {
        if (running == null || running.isDone()) {
          running = CompletableFuture.supplyAsync(this::selectOne, executor);
        }
        check = running;
      }
      boolean answer;
      try {
        answer = check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        answer = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        answer = false;
      }
      synchronized (this) {
        if (answer != lastAnswer) {
          if (answer) {
            Log.LOG.info("the database answers again");
          } else {
            Log.LOG.warn("the database does not answer SELECT 1 within {} ms", timeout.toMillis());
          }
          lastAnswer = answer;
        }
      }
      return answer;
    }

    private boolean selectOne() {
      try (Connection c = database.connection();
          Statement s = c.createStatement()) {
        s.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
        try (ResultSet r = s.executeQuery("SELECT 1")) {
          return r.next();
        }
      } catch (SQLException | RuntimeException e) {
        return false;
      }
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }

  private record Routes(
      ServerContext context,
      HealthCheck health,
      MetadataEndpoint metadata,
      JwksEndpoint jwks,
      DeviceAuthorizationEndpoint device,
      TokenEndpoint token,
      RevocationEndpoint revoke,
      IntrospectionEndpoint introspect,
      UserinfoEndpoint userinfo) {}

  /** Gives the pages the context once it exists. */
  private record LazyContext(AtomicReference<Routes> routes) {
    java.util.function.Supplier<ServerContext> context() {
      return () -> routes.get().context();
    }
  }
}
