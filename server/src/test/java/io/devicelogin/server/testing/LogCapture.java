package io.devicelogin.server.testing;

import static org.slf4j.Logger.ROOT_LOGGER_NAME;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/** The lines the server's own loggers write while it is open. */
public final class LogCapture implements AutoCloseable {
  private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0A-\\x1F\\x7F-\\x9F]");

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root;

  private LogCapture() {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = logging.getLogger(ROOT_LOGGER_NAME);
    appender.setContext(logging);
    appender.start();
    root.addAppender(appender);
  }

  public static LogCapture start() {
    return new LogCapture();
  }

  /**
   * The formatted messages of {@code io.devicelogin.*} and {@code devicelogin.*} (the audit lines).
   */
  public List<String> ours() {
    return events().stream()
        .filter(LogCapture::ours)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  /** Messages at ERROR from our loggers: every one is a failure of the server. */
  public List<String> errors() {
    return events().stream()
        .filter(LogCapture::ours)
        .filter(e -> e.getLevel() == Level.ERROR)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  /**
   * Our lines that hold a control character (C0 but tab, DEL, C1): a line break or a terminal
   * escape sequence that a request smuggled into the log would forge lines or repaint the reader's
   * terminal.
   */
  public List<String> withControlCharacters() {
    return ours().stream().filter(line -> CONTROL.matcher(line).find()).toList();
  }

  /** Lines of any logger, Jetty's included, that carry a stack trace. */
  public List<String> withStackTraces() {
    return events().stream()
        .filter(e -> e.getThrowableProxy() != null)
        .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage())
        .toList();
  }

  private List<ILoggingEvent> events() {
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }

  private static boolean ours(ILoggingEvent e) {
    return e.getLoggerName().startsWith("io.devicelogin")
        || e.getLoggerName().startsWith("devicelogin");
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
