package io.devicelogin.cli.startup;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.devicelogin.server.StandardErrorLog;
import io.devicelogin.server.WireDumpFilter;

/**
 * The command's logging, set up in code (found by Logback through {@code META-INF/services}): the
 * command talks to the person itself, so logs are for problems only, on standard error, at {@code
 * WARN} unless {@code DEVICELOGIN_LOG_LEVEL} (a system property or an environment variable) names
 * another level; Logback's own status messages are not shown.
 *
 * <p>Saves: this replaces a {@code logback.xml} that said the same; reading XML takes Logback's SAX
 * parser and Joran, which a JFR profile of {@code devicelogin token} showed as a quarter of its CPU
 * time (the {@code devicelogin token} row of bench's {@code CliStartup}, bench/RESULTS.md). A
 * configuration file still wins: with {@code -Dlogback.configurationFile=FILE}, or a {@code
 * logback-test.xml} on the class path, Logback's own configurators read it as usual.
 *
 * <p>Either way it installs the server's {@link WireDumpFilter} first, so that Jetty's wire dumps
 * stay out of the log at any level, under a configuration file too.
 */
public final class CommandLogging extends ContextAwareBase implements Configurator {
  static final String LEVEL_VARIABLE = "DEVICELOGIN_LOG_LEVEL";
  static final String PATTERN = "%-5level %logger{24} - %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    // Under any configuration, the person's own included: the server and demo commands run Jetty
    // here, whose DEBUG lines print request headers and bodies.
    WireDumpFilter.install(context);
    if (System.getProperty("logback.configurationFile") != null
        || CommandLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    apply(context, level());
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * What the configuration says: warnings and errors (or {@code level}) on standard error, quietly.
   */
  static void apply(LoggerContext context, Level level) {
    StandardErrorLog.install(context, PATTERN, level);
  }

  /**
   * As Logback read {@code ${DEVICELOGIN_LOG_LEVEL:-WARN}}: a system property, else the
   * environment; DEBUG if unknown.
   */
  static Level level() {
    String name = System.getProperty(LEVEL_VARIABLE);
    if (name == null) {
      name = System.getenv(LEVEL_VARIABLE);
    }
    return name == null ? Level.WARN : Level.toLevel(name, Level.DEBUG);
  }
}
