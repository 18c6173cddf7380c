package io.devicelogin.server;

import io.devicelogin.server.startup.JettyCacheLine;
import io.devicelogin.server.startup.StartupException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar devicelogin-server.jar}: the command line, its exit codes and messages.
 *
 * <pre>
 * java -jar server/target/devicelogin-server.jar --port 8080 --data-dir DIR [--db-url JDBC-URL]
 *     [--config FILE] [--demo]</pre>
 */
public final class ServerMain {
  private ServerMain() {}

  public static void main(String[] args) {
    // Both before the first logger and the first Jetty class: they choose how those start.
    ServerLogging.chooseForServerProcess();
    JettyCacheLine.answer();
    int code = run(List.of(args), System.getenv(), System.out, System.err);
    if (code != 0) {
      System.exit(code);
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
      DeviceLoginServer server =
          DeviceLoginServer.start(config, Clock.systemUTC(), new SecureRandom(), out);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "devicelogin-shutdown"));
      return 0;
    } catch (StartupException e) {
      err.println("devicelogin-server: " + e.getMessage());
      err.flush();
      return 1;
    }
  }
}
