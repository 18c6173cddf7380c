package io.devicelogin.server;

import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.device.DeviceAuthorizationService;
import io.devicelogin.server.grant.TokenService;
import io.devicelogin.server.http.Endpoints;
import io.devicelogin.server.http.HealthCheck;
import io.devicelogin.server.http.HttpServer;
import io.devicelogin.server.identity.BrowserSessions;
import io.devicelogin.server.identity.HashingSlots;
import io.devicelogin.server.identity.PasswordHasher;
import io.devicelogin.server.identity.SignInDelay;
import io.devicelogin.server.identity.UserService;
import io.devicelogin.server.metrics.Metrics;
import io.devicelogin.server.policy.ClientRegistry;
import io.devicelogin.server.policy.ClientsFile;
import io.devicelogin.server.protocol.RequestOrigin;
import io.devicelogin.server.startup.BackgroundStart;
import io.devicelogin.server.startup.StartupException;
import io.devicelogin.server.startup.StartupFailures;
import io.devicelogin.server.store.Database;
import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.upstream.UpstreamSignIn;
import io.devicelogin.server.web.ServerContext;
import java.io.PrintStream;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The authorization server: its services wired over the storage, behind the {@link HttpServer}, and
 * their lifecycle. {@link ServerMain} is the command line around it; the CLI's {@code server} and
 * {@code demo} commands and the tests call {@link #start}.
 */
public final class DeviceLoginServer implements AutoCloseable {
  private final HttpServer http;
  private final ServerContext context;
  private final Database database;
  private final HealthCheck health;
  private final Sweeper sweeper;

  private DeviceLoginServer(
      HttpServer http,
      ServerContext context,
      Database database,
      HealthCheck health,
      Sweeper sweeper) {
    this.http = http;
    this.context = context;
    this.database = database;
    this.health = health;
    this.sweeper = sweeper;
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
    ServerLogging.startOnThisThread();
    // The configuration and the storage start on a thread of their own while Jetty starts here
    // (BackgroundStart says why). Until the services exist every request is answered 503; the URL
    // is printed only once the server serves.
    BackgroundStart<ClientRegistry, Storage> background =
        BackgroundStart.begin(() -> clients(config), () -> Storage.open(config, clock));
    Metrics metrics;
    HttpServer http;
    ClientRegistry clients;
    try {
      metrics = new Metrics();
      http =
          new HttpServer(
              config.host(),
              config.port(),
              metrics,
              config.overHttps(),
              config.connectionLimits(),
              config.trustedProxies());
      clients = background.first();
      listen(http, config);
    } catch (RuntimeException e) {
      throw background.abandon(e, storage -> storage.database().close());
    }
    Storage storage;
    try {
      storage = background.second();
    } catch (RuntimeException e) {
      http.stop();
      throw e;
    }
    try {
      return serve(config, clients, storage, http, metrics, clock, random, out);
    } catch (RuntimeException e) {
      http.stop();
      storage.database().close();
      throw e;
    }
  }

  /** The services, in the order they need each other, once the storage and Jetty are up. */
  private static DeviceLoginServer serve(
      ServerConfig config,
      ClientRegistry clients,
      Storage storage,
      HttpServer http,
      Metrics metrics,
      Clock clock,
      SecureRandom random,
      PrintStream out) {
    Database database = storage.database();
    Jdbc jdbc = new Jdbc(database.dataSource());
    AuditLog audit = new AuditLog(jdbc, clock);
    UserService users =
        new UserService(
            jdbc,
            new PasswordHasher(random),
            HashingSlots.ofDefaults(),
            SignInDelay.ofDefaults(audit, clock),
            clock);
    RequestOrigin origins = new RequestOrigin(config.trustedProxies());
    AcrossInstances shared = AcrossInstances.of(database, jdbc, clients, clock);
    String issuer = config.issuerAt(http.port());
    TokenService tokens =
        new TokenService(jdbc, storage.keys(), clients, audit, users, clock, random, issuer);
    tokens.onGrantRevoked(metrics::grantRevoked);
    DeviceAuthorizationService devices =
        new DeviceAuthorizationService(
            jdbc,
            clients,
            tokens,
            audit,
            shared.pollClock(),
            random,
            clock,
            URI.create(issuer + "/device"));
    metrics.pendingAuthorizations(devices::pendingCount);
    BrowserSessions sessions =
        new BrowserSessions(
            jdbc, clock, random, clients.sessions(), Defaults.ANONYMOUS_SESSIONS_PER_ADDRESS);
    ServerContext context =
        new ServerContext(
            issuer,
            config.overHttps(),
            clock,
            random,
            clients,
            users,
            audit,
            tokens,
            devices,
            origins,
            shared.limiter(),
            metrics,
            sessions,
            new UpstreamSignIn(clients.signIn(), users, jdbc, clock, random, issuer));
    // Before the first request is served, so that nothing (a person, a load balancer, a test) is
    // told the server is ready while signing in as the demo user would still fail.
    DemoUser.prepare(config, clients, users, random, out);
    HealthCheck health = new HealthCheck(database, Defaults.HEALTH_CHECK_TIMEOUT);
    http.serve(Endpoints.of(context, storage.keys(), health));
    Sweeper sweeper =
        new Sweeper(
            devices::sweepExpired, sessions::sweepExpired, shared.limiter()::forgetEndedWindows);
    out.println(
        "devicelogin server listening on " + issuer + " (device page " + issuer + "/device)");
    out.flush();
    return new DeviceLoginServer(http, context, database, health, sweeper);
  }

  /** The clients of the configuration file, with the demo client when asked for. */
  static ClientRegistry clients(ServerConfig config) {
    ClientRegistry clients;
    try {
      clients =
          config
              .configFile()
              .map(ClientsFile::read)
              .orElseGet(() -> new ClientRegistry(List.of(), Map.of()));
    } catch (IllegalArgumentException e) {
      throw StartupFailures.configuration(e);
    }
    // A client of the same id in the file wins: the file is where policy is decided.
    return config.demo() ? clients.withIfAbsent(ClientRegistry.demoClient()) : clients;
  }

  /** Starts Jetty, or says in one line why it cannot listen. */
  private static void listen(HttpServer http, ServerConfig config) {
    try {
      http.start();
    } catch (RuntimeException e) {
      http.stop();
      throw StartupFailures.cannotListen(config.host(), config.port(), e);
    }
  }

  public ServerContext context() {
    return context;
  }

  /** The database the server keeps its state in, for checks that look at what it holds. */
  public Database database() {
    return database;
  }

  public int port() {
    return http.port();
  }

  public String issuer() {
    return context.issuer();
  }

  @Override
  public void close() {
    sweeper.close();
    health.close();
    http.stop();
    database.close();
  }
}
