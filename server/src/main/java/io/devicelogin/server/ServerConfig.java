package io.devicelogin.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The server's options, from the command line:
 *
 * <pre>
 * --port N            port to listen on (default 8080; 0 picks a free one)
 * --host ADDRESS      address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
 * --data-dir DIR      where the H2 database lives (default ./devicelogin-data)
 * --db-url JDBC-URL   a PostgreSQL (or H2) database instead; the user and password come from
 *                     DEVICELOGIN_DB_USER and DEVICELOGIN_DB_PASSWORD, never the command line
 * --config FILE       the clients and their policy (JSON, see ClientRegistry)
 * --issuer URL        the public URL of this server (default http://localhost:PORT)
 * --trusted-proxy IP  a reverse proxy whose X-Forwarded-For is believed (repeatable)
 * --demo              create the client devicelogin-cli and the user demo if absent
 * </pre>
 */
public record ServerConfig(
    int port,
    String host,
    Path dataDir,
    Optional<String> dbUrl,
    Optional<String> dbUser,
    Optional<String> dbPassword,
    Optional<Path> configFile,
    Optional<String> issuer,
    Set<String> trustedProxies,
    boolean demo,
    Optional<String> demoPassword) {

  public static final String USAGE = String.join("\n",
      "Usage: java -jar devicelogin-server.jar [--port N] [--host ADDRESS] [--data-dir DIR]",
      "           [--db-url JDBC-URL] [--config FILE] [--issuer URL] [--trusted-proxy IP]... [--demo]",
      "",
      "  --port N            port to listen on (default 8080; 0 picks a free port)",
      "  --host ADDRESS      address to listen on (default 127.0.0.1; 0.0.0.0 for all)",
      "  --data-dir DIR      directory of the embedded H2 database (default ./devicelogin-data)",
      "  --db-url JDBC-URL   use this database instead, e.g. jdbc:postgresql://db/devicelogin;",
      "                      user and password from DEVICELOGIN_DB_USER / DEVICELOGIN_DB_PASSWORD",
      "  --config FILE       clients and their policy (JSON; see the README)",
      "  --issuer URL        this server's public URL (default http://localhost:PORT)",
      "  --trusted-proxy IP  believe X-Forwarded-For from this reverse proxy (repeatable)",
      "  --demo              create the public client devicelogin-cli and the user demo if absent;",
      "                      the password comes from DEVICELOGIN_DEMO_PASSWORD or is generated",
      "                      and printed once",
      "  --help              show this text");

  /** Defaults for everything, with the environment's database credentials and demo password. */
  public static ServerConfig defaults(Map<String, String> env) {
    return new ServerConfig(Defaults.PORT, "127.0.0.1", Path.of("devicelogin-data"), Optional.empty(),
        Optional.ofNullable(env.get("DEVICELOGIN_DB_USER")), Optional.ofNullable(env.get("DEVICELOGIN_DB_PASSWORD")),
        Optional.empty(), Optional.empty(), Set.of(), false,
        Optional.ofNullable(env.get("DEVICELOGIN_DEMO_PASSWORD")).filter(p -> !p.isEmpty()));
  }

  /**
   * Parses the command line.
   *
   * @throws IllegalArgumentException with a message for the person, for an unknown or incomplete option
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
    List<String> rest = new ArrayList<>(args);
    while (!rest.isEmpty()) {
      String option = rest.remove(0);
      String inline = null;
      int eq = option.indexOf('=');
      if (option.startsWith("--") && eq > 0) {
        inline = option.substring(eq + 1);
        option = option.substring(0, eq);
      }
      switch (option) {
        case "--port":
          String p = value(option, inline, rest);
          try {
            port = Integer.parseInt(p);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port needs a number, not '" + p + "'");
          }
          if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535");
          }
          break;
        case "--host":
          host = value(option, inline, rest);
          break;
        case "--data-dir":
          dataDir = Path.of(value(option, inline, rest));
          break;
        case "--db-url":
          dbUrl = Optional.of(value(option, inline, rest));
          if (!dbUrl.get().startsWith("jdbc:postgresql:") && !dbUrl.get().startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException("--db-url must be a jdbc:postgresql: or jdbc:h2: URL");
          }
          break;
        case "--config":
          config = Optional.of(Path.of(value(option, inline, rest)));
          break;
        case "--issuer":
          String i = value(option, inline, rest);
          while (i.endsWith("/")) {
            i = i.substring(0, i.length() - 1);
          }
          if (!i.startsWith("https://") && !i.startsWith("http://")) {
            throw new IllegalArgumentException("--issuer must be an http(s) URL");
          }
          issuer = Optional.of(i);
          break;
        case "--trusted-proxy":
          proxies.add(value(option, inline, rest));
          break;
        case "--demo":
          demo = true;
          break;
        default:
          throw new IllegalArgumentException("unknown option '" + option + "'");
      }
    }
    return new ServerConfig(port, host, dataDir, dbUrl, c.dbUser, c.dbPassword, config, issuer, proxies, demo,
        c.demoPassword);
  }

  private static String value(String option, String inline, List<String> rest) {
    if (inline != null) {
      return inline;
    }
    if (rest.isEmpty() || rest.get(0).startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return rest.remove(0);
  }

  public ServerConfig withPort(int p) {
    return new ServerConfig(p, host, dataDir, dbUrl, dbUser, dbPassword, configFile, issuer, trustedProxies, demo,
        demoPassword);
  }

  public ServerConfig withDbUrl(String url, String user, String password) {
    return new ServerConfig(port, host, dataDir, Optional.of(url), Optional.ofNullable(user),
        Optional.ofNullable(password), configFile, issuer, trustedProxies, demo, demoPassword);
  }
}
