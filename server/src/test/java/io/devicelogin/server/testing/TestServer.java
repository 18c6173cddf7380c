package io.devicelogin.server.testing;

import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.ManualClock;
import io.devicelogin.server.DeviceLoginServer;
import io.devicelogin.server.ServerConfig;
import io.devicelogin.server.device.UserCodeGenerator;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.Database;
import io.devicelogin.server.store.DeviceAuthorizationRecord;
import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.store.User;
import io.devicelogin.server.web.ServerContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A real server on a free loopback port with a {@link ManualClock} that tests move, on a fresh
 * database of the chosen {@link Backend}: H2 in a temporary data directory, or a new database of
 * the {@link SharedPostgres} server, given as {@code --db-url} with the credentials in {@code
 * DEVICELOGIN_DB_USER} and {@code DEVICELOGIN_DB_PASSWORD}. It has the demo client and the demo
 * user (an admin) of {@code --demo}, and the clients of {@link TestClients} through {@code
 * --config}. Every password it makes is registered with {@link IssuedSecrets}. Closing it stops the
 * server and deletes its database.
 */
public final class TestServer implements AutoCloseable {
  /** Where the person who approves or denies in these tests sits. */
  public static final Origin APPROVER = new Origin("198.51.100.7", "approver-browser/1.0");

  public final Backend backend;
  public final ManualClock clock;
  public final String demoPassword;
  public final TestClients clients;
  public final DeviceLoginServer server;

  /**
   * The server's data directory (the H2 database lives here; with PostgreSQL it holds the config).
   */
  public final Path dataDir;

  private final Storage storage;
  private final List<String> extraArgs;
  private final SecureRandom random;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  /** False for {@link #anotherInstance()}: the first instance deletes the database. */
  private final boolean ownsStorage;

  private boolean keepStorage;

  private TestServer(
      Backend backend,
      Storage storage,
      ManualClock clock,
      String demoPassword,
      TestClients clients,
      List<String> extraArgs,
      SecureRandom random,
      String issuer,
      boolean ownsStorage) {
    this.ownsStorage = ownsStorage;
    this.backend = backend;
    this.random = random;
    this.storage = storage;
    this.clock = clock;
    this.demoPassword = demoPassword;
    this.clients = clients;
    this.extraArgs = List.copyOf(extraArgs);
    this.dataDir = storage.dataDir;
    List<String> args =
        new ArrayList<>(List.of("--port", "0", "--data-dir", dataDir.toString(), "--demo"));
    if (!extraArgs.contains("--config")) {
      args.addAll(List.of("--config", clients.write(dataDir).toString()));
    }
    if (issuer != null && !extraArgs.contains("--issuer")) {
      args.addAll(List.of("--issuer", issuer));
    }
    Map<String, String> env = new HashMap<>();
    env.put("DEVICELOGIN_DEMO_PASSWORD", demoPassword);
    if (storage.database != null) {
      args.addAll(List.of("--db-url", storage.database.url()));
      env.put("DEVICELOGIN_DB_USER", storage.database.user());
      env.put("DEVICELOGIN_DB_PASSWORD", storage.database.password());
    }
    args.addAll(extraArgs);
    try {
      server =
          DeviceLoginServer.start(
              ServerConfig.parse(args, env),
              clock,
              random,
              new PrintStream(printed, true, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      if (issuer == null && ownsStorage) {
        storage.delete();
      }
      throw e;
    }
  }

  /**
   * The backend of {@link #start()}: H2, unless the system property {@value #BACKEND_PROPERTY}
   * names another ({@code mvn test -Ddevicelogin.test.backend=POSTGRES} runs every test that does
   * not choose on PostgreSQL).
   */
  public static final String BACKEND_PROPERTY = "devicelogin.test.backend";

  public static Backend defaultBackend() {
    return Backend.valueOf(
        System.getProperty(BACKEND_PROPERTY, Backend.H2.name()).toUpperCase(Locale.ROOT));
  }

  /**
   * A server on the {@linkplain #defaultBackend() default backend} with the demo client and user.
   */
  public static TestServer start() {
    return start(defaultBackend());
  }

  /**
   * A server on the default backend with more command-line options (for example {@code
   * --trusted-proxy}).
   */
  public static TestServer start(List<String> extraArgs) {
    return start(defaultBackend(), extraArgs);
  }

  /** A server on a fresh database of {@code backend}. */
  public static TestServer start(Backend backend) {
    return start(backend, List.of());
  }

  /** A server on a fresh database of {@code backend}, with more command-line options. */
  public static TestServer start(Backend backend, List<String> extraArgs) {
    return start(backend, extraArgs, new SecureRandom());
  }

  /** A server whose randomness (codes, tokens, salts) comes from {@code random}. */
  public static TestServer start(Backend backend, List<String> extraArgs, SecureRandom random) {
    return new TestServer(
        backend,
        Storage.create(backend),
        ManualClock.atEpochOf2026(),
        IssuedSecrets.fresh("demo-pw-"),
        new TestClients(),
        extraArgs,
        random,
        null,
        true);
  }

  /**
   * Another instance of this server, as a second one behind the same load balancer: a server of its
   * own (its own port, pool, caches and memory) on this one's PostgreSQL database, with the same
   * clock, clients and options. Closing it leaves the database to this one. PostgreSQL only: an H2
   * file opens in one process, and the server refuses a second.
   */
  public TestServer anotherInstance() {
    if (backend != Backend.POSTGRES) {
      throw new IllegalStateException(
          "several instances share a PostgreSQL database, not an H2 file");
    }
    return new TestServer(
        backend, storage, clock, demoPassword, clients, extraArgs, random, null, false);
  }

  /**
   * Stops this server and starts another on the same database, clock, clients and options, with
   * this one's issuer (a restarted server keeps its public URL, though not its free port).
   */
  public TestServer restart() {
    keepStorage = true;
    close();
    return new TestServer(
        backend, storage, clock, demoPassword, clients, extraArgs, random, issuer(), ownsStorage);
  }

  /**
   * Takes the server's PostgreSQL database away until the returned handle is closed: the
   * connections it holds end and new ones are refused, as when the database server stops.
   */
  public AutoCloseable databaseOutage() {
    if (storage.database == null) {
      throw new IllegalStateException("an outage of the database needs PostgreSQL, not H2");
    }
    String name = storage.database.name();
    SharedPostgres.get().closeToApplications(name);
    return () -> SharedPostgres.get().reopen(name);
  }

  public ServerContext context() {
    return server.context();
  }

  /** The database the server keeps its state in. */
  public Database database() {
    return server.database();
  }

  /** SQL straight on the server's database, for checks of what it holds. */
  public Jdbc jdbc() {
    return new Jdbc(server.database().dataSource());
  }

  /** The JDBC URL of the server's PostgreSQL database; empty on H2. */
  public Optional<String> databaseUrl() {
    return Optional.ofNullable(storage.database).map(SharedPostgres.TestDatabase::url);
  }

  /**
   * The environment a process needs to open the server's PostgreSQL database at {@link
   * #databaseUrl()} ({@code DEVICELOGIN_DB_USER}, {@code DEVICELOGIN_DB_PASSWORD}); empty on H2.
   */
  public Map<String, String> databaseEnvironment() {
    return storage.database == null
        ? Map.of()
        : Map.of(
            "DEVICELOGIN_DB_USER",
            storage.database.user(),
            "DEVICELOGIN_DB_PASSWORD",
            storage.database.password());
  }

  public String issuer() {
    return server.issuer();
  }

  /**
   * {@code http://127.0.0.1:PORT/path}: the loopback address, as a browser on this host would use.
   */
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  /** The OAuth endpoints of this server, over HTTP. */
  public OAuthCalls oauth() {
    return new OAuthCalls(this::uri, clients.resourceServerSecret, this::approve);
  }

  public User demoUser() {
    return context().users().findByUsername("demo").orElseThrow();
  }

  /** Creates a user with a fresh, registered password; returns the password. */
  public Secret createUser(String username, boolean admin) {
    Secret password = Secret.of(IssuedSecrets.fresh("pw-"));
    context().users().create(username, username, username + "@example.com", password, admin);
    return password;
  }

  /** The live authorization a user code (as shown or typed) names. */
  public DeviceAuthorizationRecord pending(String userCode) {
    String code =
        UserCodeGenerator.normalise(userCode)
            .orElseThrow(() -> new AssertionError("not a user code: " + userCode));
    return context()
        .devices()
        .findLive(code)
        .orElseThrow(() -> new AssertionError("no live authorization for " + userCode));
  }

  /** The demo user approves, as the pages would; returns the grant id. */
  public String approve(String userCode) {
    return approve(userCode, demoUser());
  }

  public String approve(String userCode, User user) {
    return context().devices().approve(pending(userCode).id(), user, APPROVER, null);
  }

  /** The id of the grant an access token this server issued belongs to. */
  public String grantIdOf(String accessToken) {
    return context().tokens().verifyAccessToken(Secret.of(accessToken)).orElseThrow().grantId();
  }

  /** Revokes a grant as {@code actor} would from a browser; true if it was live. */
  public boolean revokeGrant(String grantId, String actor, String reason) {
    return context()
        .tokens()
        .revokeGrant(grantId, actor, reason, new Origin("198.51.100.7", "browser"));
  }

  /**
   * A server started from these command-line arguments as {@code main} would start it, with a fresh
   * demo password for {@code --demo}: for what only real arguments set up (a host, a database URL).
   */
  public static DeviceLoginServer startFromArgs(List<String> args) {
    return startAsConfigured(
        ServerConfig.parse(args, Map.of("DEVICELOGIN_DEMO_PASSWORD", IssuedSecrets.fresh("pw-"))));
  }

  /** A server of {@code config} on the system clock, what it prints on start thrown away. */
  public static DeviceLoginServer startAsConfigured(ServerConfig config) {
    return DeviceLoginServer.start(
        config,
        Clock.systemUTC(),
        new SecureRandom(),
        new PrintStream(new ByteArrayOutputStream(), true));
  }

  /** The demo user denies. */
  public void deny(String userCode) {
    context().devices().deny(pending(userCode).id(), demoUser(), APPROVER, null);
  }

  /** What the server printed on start. */
  public String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      if (ownsStorage && !keepStorage) {
        storage.delete();
      }
    }
  }

  /**
   * A server's database: its data directory and, for PostgreSQL, its database on the shared server.
   */
  private static final class Storage {
    final Path dataDir;
    final SharedPostgres.TestDatabase database;

    private Storage(Path dataDir, SharedPostgres.TestDatabase database) {
      this.dataDir = dataDir;
      this.database = database;
    }

    static Storage create(Backend backend) {
      Path dir;
      try {
        dir = Files.createTempDirectory("devicelogin-test");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Storage(
          dir, backend == Backend.POSTGRES ? SharedPostgres.get().createDatabase() : null);
    }

    void delete() {
      if (database != null) {
        SharedPostgres.get().dropDatabase(database.name());
      }
      Directories.deleteQuietly(dataDir);
    }
  }
}
