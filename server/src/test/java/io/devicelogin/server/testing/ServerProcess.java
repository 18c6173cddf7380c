package io.devicelogin.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.server.web.Person;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The server's runnable jar ({@code java -jar devicelogin-server.jar}) as an operating-system
 * process, for tests about what only a real process shows: a restart after {@code kill -9}, several
 * instances on one database, a command polling a server that goes away and comes back.
 *
 * <p>It keeps one port and one data directory for its whole life, so that {@link #start()} after
 * {@link #kill()} or {@link #stop()} brings back the same server at the same address (its issuer,
 * {@code http://localhost:PORT}, names the port, and tokens name the issuer). Each run writes its
 * standard output and standard error to files of their own, which a failure quotes. Readiness is
 * {@code /healthz} answering 200, waited for with a deadline; there are no sleeps.
 *
 * <p>The server runs with the demo client and the demo user ({@code --demo}, the password through
 * {@code DEVICELOGIN_DEMO_PASSWORD}), the clients of {@link TestClients} ({@code --config}) unless
 * another file is given, and H2 in its data directory unless a PostgreSQL database is given ({@code
 * --db-url}, the credentials in {@code DEVICELOGIN_DB_USER} and {@code DEVICELOGIN_DB_PASSWORD}).
 * Secrets go through the environment, never the command line, which any local user can read.
 *
 * <p>The jar is found through the system property {@value #JAR_PROPERTY}, which the failsafe
 * configuration of the modules that use this class sets: the jar exists only after {@code package},
 * so tests that use it are integration tests ({@code *IT}).
 */
public final class ServerProcess implements AutoCloseable {
  /** The system property with the path of {@code devicelogin-server.jar}. */
  public static final String JAR_PROPERTY = "devicelogin.server.jar";

  /** A JVM start, migrations and the first signing key, on a busy two-core machine, fit in this. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  /** The JVM gives its exit code as 128 plus the signal that ended it. */
  private static final int SIGKILL_EXIT = 128 + 9;

  private static final int SIGTERM_EXIT = 128 + 15;

  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  /** Names given so far in this JVM: a second process of the same name writes files of its own. */
  private static final Set<String> STEMS = ConcurrentHashMap.newKeySet();

  private final String name;

  /** What its output files are called: the name, with a number when the name was given before. */
  private final String stem;

  private final int port;
  private final Path dataDir;
  private final boolean ownsDataDir;
  private final Path logDir;
  private final SharedPostgres.TestDatabase database;
  private final List<String> arguments;
  private final String issuer;
  private final Path configFile;

  /** The demo user's password. */
  public final String demoPassword;

  /** The clients of the configuration file, with the resource server's secret. */
  public final TestClients clients;

  private Process process;
  private int runs;
  private Path out;
  private Path err;

  private ServerProcess(Builder b) {
    this.name = b.name;
    String stem = b.name;
    for (int n = 2; !STEMS.add(stem); n++) {
      stem = b.name + "-" + n;
    }
    this.stem = stem;
    this.port = b.port != 0 ? b.port : freePort();
    this.database = b.database;
    this.demoPassword = b.demoPassword != null ? b.demoPassword : IssuedSecrets.fresh("demo-pw-");
    this.clients = b.clients != null ? b.clients : new TestClients();
    this.issuer = b.issuer.orElse("http://localhost:" + port);
    try {
      this.ownsDataDir = b.dataDir == null;
      this.dataDir =
          ownsDataDir ? Files.createTempDirectory("devicelogin-process-" + name) : b.dataDir;
      this.logDir = b.logDir != null ? b.logDir : defaultLogDir();
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.configFile = b.config != null ? b.config : clients.write(dataDir);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--port",
                Integer.toString(port),
                "--data-dir",
                dataDir.toString(),
                "--demo",
                "--config",
                configFile.toString()));
    if (database != null) {
      args.addAll(List.of("--db-url", database.url()));
    }
    b.issuer.ifPresent(issuer -> args.addAll(List.of("--issuer", issuer)));
    args.addAll(b.extraArgs);
    this.arguments = List.copyOf(args);
  }

  /** A server process named {@code name} (the name of its log files), not yet started. */
  public static Builder named(String name) {
    return new Builder(name);
  }

  /** What a server process is started with. */
  public static final class Builder {
    private final String name;
    private int port;
    private Path dataDir;
    private Path config;
    private Path logDir;
    private SharedPostgres.TestDatabase database;
    private Optional<String> issuer = Optional.empty();
    private String demoPassword;
    private TestClients clients;
    private final List<String> extraArgs = new ArrayList<>();

    private Builder(String name) {
      if (!name.matches("[a-z0-9-]+")) {
        throw new IllegalArgumentException(
            "a process name is lower-case letters, digits and dashes: " + name);
      }
      this.name = name;
    }

    /** PostgreSQL instead of H2: the server is given this database's URL and credentials. */
    public Builder database(SharedPostgres.TestDatabase database) {
      this.database = database;
      return this;
    }

    /**
     * The {@link Backend}'s database: none for H2 (the data directory), {@code database} for
     * PostgreSQL.
     */
    public Builder backend(Backend backend, SharedPostgres.TestDatabase database) {
      this.database = backend == Backend.POSTGRES ? database : null;
      return this;
    }

    /**
     * A configuration file of the caller's, instead of {@link TestClients}' (for example with rate
     * limits of its own); it should still register {@link TestClients}'s clients, with {@link
     * #clients}' secrets, for {@link ServerProcess#oauth()} to work.
     */
    public Builder config(Path config) {
      this.config = config;
      return this;
    }

    /** The clients (and their secrets) of the default configuration file, or of the caller's. */
    public Builder clients(TestClients clients) {
      this.clients = clients;
      return this;
    }

    /** The data directory; by default a new temporary one, deleted by {@link #close()}. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /**
     * Where the runs' output goes; by default {@code target/server-processes}, kept for a
     * post-mortem.
     */
    public Builder logDir(Path logDir) {
      this.logDir = logDir;
      return this;
    }

    /**
     * The public URL the server names itself by ({@code --issuer}); by default {@code
     * http://localhost:PORT}.
     */
    public Builder issuer(String issuer) {
      this.issuer = Optional.of(issuer);
      return this;
    }

    /**
     * Another instance of {@code first}'s deployment, as behind one load balancer: the same
     * PostgreSQL database, the same configuration file (so the same clients, secrets and limits),
     * the same demo password, and the same issuer, {@code first}'s (tokens name the issuer, and an
     * instance accepts only its own).
     */
    public Builder besides(ServerProcess first) {
      if (first.database == null) {
        throw new IllegalArgumentException(
            "instances share a PostgreSQL database; " + first.name + " runs on H2");
      }
      this.database = first.database;
      this.config = first.configFile;
      this.clients = first.clients;
      this.demoPassword = first.demoPassword;
      this.issuer = Optional.of(first.issuer);
      return this;
    }

    /** A port of the caller's choosing (for example one that another instance used). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder arg(String... args) {
      extraArgs.addAll(List.of(args));
      return this;
    }

    /**
     * The process, not started: see {@link ServerProcess#launch()} and {@link
     * ServerProcess#start()}.
     */
    public ServerProcess build() {
      return new ServerProcess(this);
    }

    /** The process, started and ready. */
    public ServerProcess start() {
      ServerProcess server = build();
      try {
        return server.start();
      } catch (RuntimeException | Error e) {
        server.close();
        throw e;
      }
    }
  }

  // --- lifecycle ---------------------------------------------------------------------------------

  /** Starts the process and waits until {@code /healthz} answers 200. */
  public ServerProcess start() {
    launch();
    awaitReady();
    return this;
  }

  /**
   * Starts the process and returns at once, so that a test can start several side by side; {@link
   * #awaitReady()} then waits for each.
   */
  public ServerProcess launch() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
    }
    runs++;
    out = logDir.resolve(stem + "-run" + runs + ".out");
    err = logDir.resolve(stem + "-run" + runs + ".err");
    List<String> command = new ArrayList<>();
    command.add(JAVA.toString());
    // Several server JVMs run beside the tests' own on a small machine: a bounded heap and the
    // serial collector keep each one small (the options the README gives for running the server),
    // and C1 alone compiles enough for a server that lives seconds, without the optimising
    // compiler's threads taking the cores that the other processes of the test are starting on.
    command.addAll(
        List.of(
            "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dataDir.toFile());
    Map<String, String> env = builder.environment();
    // The jar's own defaults, whatever the environment of the build.
    env.keySet().removeIf(variable -> variable.startsWith("DEVICELOGIN_"));
    env.put("DEVICELOGIN_DEMO_PASSWORD", demoPassword);
    if (database != null) {
      env.put("DEVICELOGIN_DB_USER", database.user());
      env.put("DEVICELOGIN_DB_PASSWORD", database.password());
    }
    builder
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + JAVA, e);
    }
    return this;
  }

  /**
   * Waits until {@code /healthz} answers 200: the port is open, the services exist, and the
   * database answers. Fails at once if the process ends first, and after {@link #READY_TIMEOUT}.
   */
  public ServerProcess awaitReady() {
    requireStarted();
    HttpRequest probe =
        HttpRequest.newBuilder(uri("/healthz")).timeout(Duration.ofSeconds(5)).GET().build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    String last = "no answer yet";
    while (true) {
      if (!process.isAlive()) {
        throw new AssertionError(
            name + " exited with " + process.exitValue() + " before /healthz answered" + output());
      }
      try {
        HttpResponse<String> r = HTTP.send(probe, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return this;
        }
        last = "HTTP " + r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            name
                + " was not ready within "
                + READY_TIMEOUT
                + "; /healthz last gave "
                + last
                + output());
      }
      // Paced by the process itself: this returns at once if it exits, else after a short while.
      awaitExit(Duration.ofNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50))));
    }
  }

  /**
   * {@code kill -9}: SIGKILL, which the JVM cannot catch, so no shutdown hook runs, no connection
   * is closed cleanly and nothing is flushed, as when a machine loses power or the kernel's
   * out-of-memory killer strikes. Asserts that the process really ended by that signal and that
   * nothing listens on its port any more.
   */
  public void kill() {
    requireStarted();
    long pid = process.pid();
    process.destroyForcibly();
    assertThat(awaitExit(Duration.ofSeconds(30)))
        .as("%s (pid %d) ends on SIGKILL", name, pid)
        .isTrue();
    assertThat(process.exitValue())
        .as("%s was ended by SIGKILL, not by an exit of its own", name)
        .isEqualTo(SIGKILL_EXIT);
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
        .as("pid %d is gone", pid)
        .isEmpty();
    assertThat(listening())
        .as("nothing listens on %s's port %d after the kill", name, port)
        .isFalse();
  }

  /** SIGTERM: the shutdown hook closes the server; asserts that it ended within 30 s. */
  public int stop() {
    requireStarted();
    process.destroy();
    assertThat(awaitExit(Duration.ofSeconds(30))).as("%s stops on SIGTERM", name).isTrue();
    assertThat(process.exitValue())
        .as("%s's exit after SIGTERM%s", name, output())
        .isEqualTo(SIGTERM_EXIT);
    return process.exitValue();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public long pid() {
    requireStarted();
    return process.pid();
  }

  /**
   * Ends the process if it runs (SIGKILL: a test that wanted a clean stop called {@link #stop()}).
   */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      awaitExit(Duration.ofSeconds(30));
    }
    if (ownsDataDir) {
      Directories.deleteQuietly(dataDir);
    }
  }

  // --- where it is -------------------------------------------------------------------------------

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT}: where a client on this machine reaches it. */
  public URI base() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public URI uri(String path) {
    return URI.create(base() + path);
  }

  /** The issuer the server names itself by unless told otherwise. */
  public String defaultIssuer() {
    return "http://localhost:" + port;
  }

  /** The issuer it names itself by: {@code --issuer}, else {@link #defaultIssuer()}. */
  public String issuer() {
    return issuer;
  }

  public Path dataDir() {
    return dataDir;
  }

  /**
   * The OAuth endpoints over HTTP; {@link OAuthCalls#signIn} approves as the demo user through the
   * pages.
   */
  public OAuthCalls oauth() {
    return new OAuthCalls(this::uri, clients.resourceServerSecret, this::approve);
  }

  /** The demo user enters the code on this server's pages, signs in and approves. */
  public void approve(String userCode) {
    demo().approve(userCode);
  }

  /** The demo user at a browser of its own, on this server's pages. */
  public Person demo() {
    return Person.at(base(), "demo", Secret.of(demoPassword));
  }

  // --- what it wrote -----------------------------------------------------------------------------

  /** The standard output of the current (or last) run. */
  public String stdout() {
    return read(out);
  }

  /** The standard error of the current (or last) run: the server's log. */
  public String stderr() {
    return read(err);
  }

  /** The files every run so far wrote, for a check that spans runs. */
  public List<Path> outputFiles() {
    List<Path> files = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      files.add(logDir.resolve(stem + "-run" + run + ".out"));
      files.add(logDir.resolve(stem + "-run" + run + ".err"));
    }
    return files;
  }

  /**
   * Fails if any secret issued in this JVM ({@link IssuedSecrets}: passwords, device codes, tokens,
   * cookies) appears in what any run of the server wrote.
   */
  public void assertNoSecretsInOutput() {
    for (Path file : outputFiles()) {
      String text = read(file);
      for (String secret : IssuedSecrets.all()) {
        if (text.contains(secret)) {
          throw new AssertionError(
              file
                  + " holds a secret issued during the test (its first characters: "
                  + secret.substring(0, Math.min(4, secret.length()))
                  + "…)");
        }
      }
    }
  }

  /** The last lines of the run's output, for a failure message. */
  public String output() {
    return "\n--- " + out + " ---\n" + tail(stdout()) + "\n--- " + err + " ---\n" + tail(stderr());
  }

  // --- plumbing ----------------------------------------------------------------------------------

  private boolean awaitExit(Duration max) {
    try {
      process.onExit().get(max.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + name, e);
    }
  }

  /** Whether something accepts connections on the port. */
  private boolean listening() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      // A timeout is not a refusal: something holds the port.
      return true;
    }
  }

  private void requireStarted() {
    if (process == null) {
      throw new IllegalStateException(name + " was never started");
    }
  }

  private static Path jar() {
    String property = System.getProperty(JAR_PROPERTY);
    if (property == null) {
      throw new IllegalStateException(
          "no -D"
              + JAR_PROPERTY
              + ": run this test through failsafe (mvn verify),"
              + " whose configuration names server/target/devicelogin-server.jar");
    }
    Path jar = Path.of(property).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " does not exist: it is built in the server module's package phase");
    }
    return jar;
  }

  private static Path defaultLogDir() throws IOException {
    Path target = Path.of("target");
    return Files.isDirectory(target)
        ? target.resolve("server-processes").toAbsolutePath()
        : Files.createTempDirectory("devicelogin-process-logs");
  }

  /**
   * A loopback port that nothing listens on, chosen below the kernel's range of ephemeral ports
   * when there is room: a restart needs the same port again, and in the gap between a kill and the
   * restart an ephemeral port could be handed to any outgoing connection on the machine, whereas a
   * port below that range is only ever taken by someone who asks for it by number.
   */
  public static int freePort() {
    int ephemeralLow = ephemeralRangeStart();
    SecureRandom random = new SecureRandom();
    for (int attempt = 0; ephemeralLow > 20_000 && attempt < 50; attempt++) {
      int candidate = 15_000 + random.nextInt(ephemeralLow - 15_000);
      if (bindable(candidate)) {
        return candidate;
      }
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on the loopback interface", e);
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int ephemeralRangeStart() {
    try {
      // Read as lines: on JDK 17 Files.readString gave only the first character of this /proc file.
      String range =
          Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
      return Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static String read(Path file) {
    try {
      // Latin-1 reads any bytes: a log cut off by SIGKILL may end inside a character.
      return file == null || !Files.exists(file)
          ? ""
          : Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  private static String tail(String text) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
