package io.devicelogin.server;

import io.devicelogin.client.Secret;
import io.devicelogin.client.text.DurationText;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.http.ConnectionLimits;
import io.devicelogin.server.protocol.RequestOrigin;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The server's options, from the command line ({@link #USAGE}) and the environment. Passwords come
 * only from the environment, so that they never show in a process list, and are held as {@link
 * Secret}s, so that printing a configuration never shows them.
 *
 * @param port the port to listen on; 0 picks a free one
 * @param host the address to listen on
 * @param dataDir the directory of the embedded H2 database (unused with {@code dbUrl})
 * @param dbUrl a JDBC URL of PostgreSQL (or H2) to use instead
 * @param dbUser the database user, from {@code DEVICELOGIN_DB_USER}
 * @param dbPassword the database password, from {@code DEVICELOGIN_DB_PASSWORD}
 * @param configFile the JSON file of clients and their policy
 * @param issuer this server's public URL, without a trailing slash
 * @param trustedProxies addresses and CIDR blocks of reverse proxies whose {@code X-Forwarded-For}
 *     is believed
 * @param demo whether to create the demo client and user
 * @param demoPassword the demo user's password, from {@code DEVICELOGIN_DEMO_PASSWORD}
 * @param connectionLimits the request deadline, the minimum body rate and the connections per
 *     address
 */
public record ServerConfig(
    int port,
    String host,
    Path dataDir,
    Optional<String> dbUrl,
    Optional<String> dbUser,
    Optional<Secret> dbPassword,
    Optional<Path> configFile,
    Optional<String> issuer,
    Set<String> trustedProxies,
    boolean demo,
    Optional<Secret> demoPassword,
    ConnectionLimits connectionLimits) {

  public static final String USAGE =
      String.join(
          "\n",
          "Usage: java -jar devicelogin-server.jar [--port N] [--host ADDRESS] [--data-dir DIR]",
          "           [--db-url JDBC-URL] [--config FILE] [--issuer URL] [--trusted-proxy IP]... [--demo]",
          "           [--request-deadline DURATION] [--min-body-rate BYTES] [--connections-per-address N]",
          "",
          "  --port N            port to listen on (default "
              + Defaults.PORT
              + "; 0 picks a free port)",
          "  --host ADDRESS      address to listen on (default "
              + Defaults.HOST
              + "; 0.0.0.0 for all)",
          "  --data-dir DIR      directory of the embedded H2 database (default ./"
              + Defaults.DATA_DIR
              + ")",
          "  --db-url JDBC-URL   use this database instead, e.g. jdbc:postgresql://db/devicelogin;",
          "                      user and password from DEVICELOGIN_DB_USER / DEVICELOGIN_DB_PASSWORD",
          "  --config FILE       clients and their policy (JSON; see the README)",
          "  --issuer URL        this server's public URL (default http://localhost:PORT)",
          "  --trusted-proxy IP  believe X-Forwarded-For from this reverse proxy: an address or a",
          "                      CIDR block such as 10.0.0.0/8 (repeatable)",
          "  --demo              create the public client devicelogin-cli and the user demo if absent;",
          "                      the password comes from DEVICELOGIN_DEMO_PASSWORD or is generated",
          "                      and printed once",
          "  --request-deadline DURATION  a request's headers and body must all arrive within this",
          "                      (default " + DurationText.format(Defaults.REQUEST_DEADLINE) + ")",
          "  --min-body-rate BYTES  a body must arrive at least this many bytes a second (default "
              + Defaults.MIN_BODY_BYTES_PER_SECOND
              + "; 0 for none)",
          "  --connections-per-address N  connections open at once from one address, trusted",
          "                      proxies excepted (default "
              + Defaults.CONNECTIONS_PER_ADDRESS
              + "; 0 for no cap)",
          "  --help              show this text",
          "",
          "Options take their value as the next argument or after '=' (--port=8080).");

  public ServerConfig {
    trustedProxies = Set.copyOf(trustedProxies);
    Objects.requireNonNull(connectionLimits);
  }

  /** Defaults for everything, with the environment's database credentials and demo password. */
  public static ServerConfig defaults(Map<String, String> env) {
    return new ServerConfig(
        Defaults.PORT,
        Defaults.HOST,
        Path.of(Defaults.DATA_DIR),
        Optional.empty(),
        nonEmpty(env.get("DEVICELOGIN_DB_USER")),
        nonEmpty(env.get("DEVICELOGIN_DB_PASSWORD")).map(Secret::of),
        Optional.empty(),
        Optional.empty(),
        Set.of(),
        false,
        nonEmpty(env.get("DEVICELOGIN_DEMO_PASSWORD")).map(Secret::of),
        ConnectionLimits.ofDefaults());
  }

  /** Whether the command line asks for the usage text, whatever else it holds. */
  public static boolean wantsHelp(List<String> args) {
    return args.contains("--help") || args.contains("-h");
  }

  /**
   * Parses the command line. Each option takes its value as the next argument or after {@code =}.
   *
   * @throws IllegalArgumentException with a one-line message for the person: an unknown option, a
   *     missing or malformed value, an option given twice
   */
  public static ServerConfig parse(List<String> args, Map<String, String> env) {
    ServerConfig c = defaults(env);
    int port = c.port;
    String host = c.host;
    Path dataDir = c.dataDir;
    Optional<String> dbUrl = Optional.empty();
    Optional<Path> config = Optional.empty();
    Optional<String> issuer = Optional.empty();
    Set<String> proxies = new LinkedHashSet<>();
    boolean demo = false;
    Duration deadline = c.connectionLimits.requestDeadline();
    long minBodyRate = c.connectionLimits.minBodyBytesPerSecond();
    int perAddress = c.connectionLimits.perAddress();
    Set<String> seen = new HashSet<>();
    List<String> rest = new ArrayList<>(args);
    while (!rest.isEmpty()) {
      String option = rest.remove(0);
      String inline = null;
      int eq = option.indexOf('=');
      if (option.startsWith("--") && eq > 0) {
        inline = option.substring(eq + 1);
        option = option.substring(0, eq);
      }
      if (option.startsWith("--") && !option.equals("--trusted-proxy") && !seen.add(option)) {
        throw new IllegalArgumentException(option + " is given twice");
      }
      switch (option) {
        case "--port" -> port = port(value(option, inline, rest));
        case "--host" -> host = value(option, inline, rest);
        case "--data-dir" -> dataDir = Path.of(value(option, inline, rest));
        case "--db-url" -> dbUrl = Optional.of(dbUrl(value(option, inline, rest)));
        case "--config" -> config = Optional.of(Path.of(value(option, inline, rest)));
        case "--issuer" -> issuer = Optional.of(issuer(value(option, inline, rest)));
        case "--trusted-proxy" -> proxies.add(trustedProxy(value(option, inline, rest)));
        case "--request-deadline" ->
            deadline = DurationText.parsePositive(option, value(option, inline, rest));
        case "--min-body-rate" -> minBodyRate = count(option, value(option, inline, rest));
        case "--connections-per-address" ->
            perAddress =
                (int) Math.min(Integer.MAX_VALUE, count(option, value(option, inline, rest)));
        case "--demo" -> {
          if (inline != null) {
            throw new IllegalArgumentException("--demo takes no value");
          }
          demo = true;
        }
        default ->
            throw new IllegalArgumentException(
                option.startsWith("-")
                    ? "unknown option '" + option + "'"
                    : "unexpected argument '" + option + "' (every option starts with --)");
      }
    }
    return new ServerConfig(
        port,
        host,
        dataDir,
        dbUrl,
        c.dbUser,
        c.dbPassword,
        config,
        issuer,
        proxies,
        demo,
        c.demoPassword,
        new ConnectionLimits(deadline, minBodyRate, perAddress));
  }

  /** A whole number, 0 or more. */
  private static long count(String option, String text) {
    long n;
    try {
      n = Long.parseLong(text);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 0) {
      throw new IllegalArgumentException(
          option + " needs a whole number, 0 or more, not '" + text + "'");
    }
    return n;
  }

  private static String value(String option, String inline, List<String> rest) {
    String value;
    if (inline != null) {
      value = inline;
    } else if (rest.isEmpty() || rest.get(0).startsWith("--")) {
      value = "";
    } else {
      value = rest.remove(0);
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }

  private static int port(String text) {
    int port;
    try {
      port = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "--port needs a number from 0 to 65535, not '" + text + "'");
    }
    return port;
  }

  private static String dbUrl(String url) {
    if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
      // The URL is not repeated: it may hold a password after all.
      throw new IllegalArgumentException(
          "--db-url needs a JDBC URL that starts with jdbc:postgresql: (or jdbc:h2:), such as"
              + " jdbc:postgresql://db.example.com/devicelogin");
    }
    if (url.toLowerCase(Locale.ROOT).contains("password=")) {
      throw new IllegalArgumentException(
          "--db-url must not hold the password, which anyone could read in the"
              + " process list; set DEVICELOGIN_DB_PASSWORD instead");
    }
    return url;
  }

  private static String trustedProxy(String proxy) {
    try {
      RequestOrigin.AddressBlock.parse(proxy);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--trusted-proxy needs an IP address or a CIDR block such as 10.0.0.0/8, not '"
              + proxy
              + "'");
    }
    return proxy;
  }

  private static String issuer(String text) {
    String url = text;
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      uri = null;
    }
    // RFC 8414 §2: an http(s) URL with a host and neither query nor fragment.
    if (uri == null
        || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "--issuer needs an http:// or https:// URL with a host and no query or"
              + " fragment, such as https://login.example.com, not '"
              + text
              + "'");
    }
    return url;
  }

  /**
   * Whether people reach this server over https, as its issuer says: then its cookies are {@code
   * Secure} and every answer carries HSTS. A server without {@code --issuer} is plain http.
   */
  public boolean overHttps() {
    return issuer.map(i -> i.startsWith("https://")).orElse(false);
  }

  /**
   * The issuer of this server once it listens on {@code listeningPort}: {@code --issuer}, else the
   * default.
   */
  public String issuerAt(int listeningPort) {
    return issuer.orElseGet(() -> defaultIssuer(host, listeningPort));
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

  private static Optional<String> nonEmpty(String value) {
    return Optional.ofNullable(value).filter(v -> !v.isEmpty());
  }

  public ServerConfig withPort(int p) {
    return new ServerConfig(
        p,
        host,
        dataDir,
        dbUrl,
        dbUser,
        dbPassword,
        configFile,
        issuer,
        trustedProxies,
        demo,
        demoPassword,
        connectionLimits);
  }

  public ServerConfig withDbUrl(String url, String user, String password) {
    return new ServerConfig(
        port,
        host,
        dataDir,
        Optional.of(url),
        Optional.ofNullable(user),
        Optional.ofNullable(password).map(Secret::of),
        configFile,
        issuer,
        trustedProxies,
        demo,
        demoPassword,
        connectionLimits);
  }
}
