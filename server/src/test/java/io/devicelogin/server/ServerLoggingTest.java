package io.devicelogin.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.net.URL;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The logging set up in code for {@code java -jar} is the one {@code logback.xml} describes. */
class ServerLoggingTest {
  /** The configurator as logback finds it through the service loader, on a context of its own. */
  private final ServerLogging logging = new ServerLogging();

  private final LoggerContext context = new LoggerContext();

  @BeforeEach
  void giveTheConfiguratorItsContext() {
    logging.setContext(context);
  }

  @AfterEach
  void forgetTheChoice() {
    System.clearProperty(ServerLogging.PROPERTY);
  }

  @Test
  void theCodeConfiguresWhatLogbackXmlSays() throws Exception {
    URL xml = DeviceLoginServer.class.getResource("/logback.xml");
    assertThat(xml).as("the server's logback.xml").isNotNull();
    LoggerContext fromXml = new LoggerContext();
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(fromXml);
    joran.doConfigure(xml);
    LoggerContext fromCode = new LoggerContext();
    ServerLogging.apply(fromCode);

    assertThat(describe(fromCode)).isEqualTo(describe(fromXml));
    for (String name : ServerLogging.LEVELS.keySet()) {
      assertThat(fromCode.getLogger(name).getEffectiveLevel())
          .as(name)
          .isEqualTo(fromXml.getLogger(name).getEffectiveLevel());
    }
    assertThat(
            fromXml.getLoggerList().stream().filter(l -> l.getLevel() != null).map(Logger::getName))
        .as("every level logback.xml sets is set in code too")
        .allMatch(
            name -> name.equals(Logger.ROOT_LOGGER_NAME) || ServerLogging.LEVELS.containsKey(name));
  }

  @Test
  void itInstallsTheWireDumpFilterEvenWhenItStandsAside() {

    assertThat(logging.configure(context))
        .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(WireDumpFilter.installedIn(context)).isTrue();
  }

  @Test
  void itStandsAsideUnlessTheServerProcessAskedForIt() {
    assertThat(logging.configure(context))
        .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext())
        .isFalse();

    System.setProperty(ServerLogging.PROPERTY, "built-in");
    assertThat(logging.configure(context))
        .isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext())
        .isTrue();
  }

  /** The root's level and appenders, with each console appender's target and pattern. */
  private static Map<String, Object> describe(LoggerContext context) {
    Map<String, Object> d = new TreeMap<>();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    d.put("root level", root.getLevel());
    List<String> appenders = new ArrayList<>();
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      Appender<ILoggingEvent> a = it.next();
      String text = a.getClass().getName() + " " + a.getName();
      if (a instanceof ConsoleAppender<ILoggingEvent> console) {
        text += " " + console.getTarget();
        if (console.getEncoder() instanceof PatternLayoutEncoder encoder) {
          text += " " + encoder.getPattern();
        }
      }
      appenders.add(text);
    }
    d.put("appenders", appenders);
    d.put(
        "turbo filters",
        context.getTurboFilterList().stream().map(f -> f.getClass().getName()).toList());
    d.put("audit", context.getLogger("devicelogin.audit").getEffectiveLevel());
    d.put(
        "other",
        Level.INFO.equals(context.getLogger("io.devicelogin.server.Whatever").getEffectiveLevel()));
    return d;
  }
}
