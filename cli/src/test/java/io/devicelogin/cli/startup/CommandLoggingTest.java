package io.devicelogin.cli.startup;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.NopStatusListener;
import io.devicelogin.server.WireDumpFilter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command's logging: problems only, on standard error, in the pattern logback.xml had. */
class CommandLoggingTest {
  @Test
  void warningsAndErrorsGoToStandardErrorQuietly() {
    LoggerContext context = new LoggerContext();
    CommandLogging.apply(context, Level.WARN);

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.devicelogin.client.http.OAuthHttp").isDebugEnabled())
        .isFalse();
    List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
    root.iteratorForAppenders().forEachRemaining(appenders::add);
    assertThat(appenders)
        .singleElement()
        .isInstanceOfSatisfying(
            ConsoleAppender.class,
            appender -> {
              assertThat(appender.isStarted()).isTrue();
              assertThat(appender.getTarget()).isEqualTo("System.err");
              assertThat(((PatternLayoutEncoder) appender.getEncoder()).getPattern())
                  .isEqualTo("%-5level %logger{24} - %msg%n");
            });
    assertThat(context.getStatusManager().getCopyOfStatusListenerList())
        .anySatisfy(listener -> assertThat(listener).isInstanceOf(NopStatusListener.class));
  }

  @Test
  void atTraceJettysWireDumpsStayOut() {
    // DEVICELOGIN_LOG_LEVEL=TRACE with the server or demo command, which run Jetty in this process.
    LoggerContext context = new LoggerContext();
    CommandLogging.apply(context, Level.TRACE);

    assertThat(context.getLogger("io.devicelogin.client.http.OAuthHttp").isTraceEnabled()).isTrue();
    assertThat(context.getLogger("org.eclipse.jetty.http.HttpParser").isDebugEnabled()).isFalse();
    assertThat(context.getLogger("org.eclipse.jetty.server.Server").isInfoEnabled()).isTrue();
  }

  @Test
  void aConfigurationFileOnTheClassPathIsLeftToLogback() {
    // The tests' logback-test.xml is on this class path, as a -Dlogback.configurationFile would be
    // given.
    LoggerContext context = new LoggerContext();
    CommandLogging logging = new CommandLogging();
    logging.setContext(context);

    assertThat(logging.configure(context))
        .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext())
        .isFalse();
    // The file decides the levels; Jetty's wire dumps stay out whatever it says.
    assertThat(context.getTurboFilterList()).singleElement().isInstanceOf(WireDumpFilter.class);
  }
}
