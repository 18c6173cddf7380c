package io.devicelogin.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.NopStatusListener;

/**
 * Logback writing every line to standard error, set up in code rather than read from XML (see
 * {@link ServerLogging} for what that saves): Logback's own status messages quiet, Jetty's wire
 * dumps dropped by the {@link WireDumpFilter}. The server's logging and the command's share it;
 * each chooses its pattern and levels.
 */
public final class StandardErrorLog {
  private StandardErrorLog() {}

  /** Sends the root logger of {@code context}, at {@code level}, to standard error. */
  public static void install(LoggerContext context, String pattern, Level level) {
    context.getStatusManager().add(new NopStatusListener());
    WireDumpFilter.install(context);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(stderr);
  }
}
