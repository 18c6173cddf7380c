package io.devicelogin.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The logging of {@code java -jar devicelogin-server.jar}, set up in code: the same configuration
 * as {@code logback.xml} beside it, without Logback's XML machinery, whose parsing and model
 * processing (some 600 classes) cost a start of the server about a tenth of a second on an idle
 * machine and much more on a busy one ({@code bench/run --only startup}, the "Server start-up"
 * table of {@code bench/RESULTS.md}). A start-up trick, like those of {@code server.startup}; it
 * stays beside {@link WireDumpFilter} and {@link StandardErrorLog}, which the command uses too.
 *
 * <p>It applies only when {@link ServerMain#main} asked for it before logging started, and only
 * when no {@code -Dlogback.configurationFile} names another configuration: the command, the tests
 * and anything that embeds the server keep their own {@code logback.xml} or {@code
 * logback-test.xml}. Logback finds this class through {@code META-INF/services}.
 *
 * <p>Either way it installs the {@link WireDumpFilter} first, so that it applies under every
 * configuration, one that a person wrote included.
 */
public final class ServerLogging extends ContextAwareBase implements Configurator {
  /** Set by {@link #chooseForServerProcess()}; read by Logback when it starts. */
  static final String PROPERTY = "devicelogin.server.logging";

  /** What {@code logback.xml} writes on every line, and where. */
  static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX} %-5level %logger{24} - %msg%n";

  /** Loggers whose level differs from the root's ({@code INFO}), as in {@code logback.xml}. */
  static final Map<String, Level> LEVELS =
      Map.of(
          "devicelogin.audit", Level.INFO,
          "org.eclipse.jetty", Level.WARN,
          "io.javalin", Level.WARN,
          "com.zaxxer.hikari", Level.WARN,
          "org.flywaydb", Level.WARN);

  /**
   * Asks for this configuration in this process, unless the person named a configuration file. Must
   * run before the first logger is created.
   */
  static void chooseForServerProcess() {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty(PROPERTY, "built-in");
    }
  }

  /**
   * Starts logging on this thread, the one that starts the server: a logger first asked for on two
   * threads at once while Logback starts would be a stand-in whose early lines SLF4J replays with a
   * warning. Makes sure of the {@link WireDumpFilter} too, which {@link #configure} installed
   * unless another configurator ran alone (an application that embeds the server may bring one).
   */
  static void startOnThisThread() {
    ILoggerFactory logging = LoggerFactory.getILoggerFactory();
    // By name: with another SLF4J back end, Logback's classes may be absent.
    if (logging.getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
      WireDumpFilter.install((LoggerContext) logging);
    }
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    // Whatever configuration follows, the person's own included: Jetty's DEBUG lines print headers
    // and bodies, and a configuration that turns everything on should not turn those on too.
    WireDumpFilter.install(context);
    if (!"built-in".equals(System.getProperty(PROPERTY))) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    apply(context);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Logs to standard error: standard output carries only what the server says to the person. */
  static void apply(LoggerContext context) {
    StandardErrorLog.install(context, PATTERN, Level.INFO);
    LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
  }
}
