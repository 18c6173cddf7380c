package io.devicelogin.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.read.ListAppender;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.SecretFinder;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Jetty's DEBUG lines print what crosses the wire; {@link WireDumpFilter} keeps them out of the log
 * under any configuration. The last test shows the leak it stops, on a real server.
 */
class WireDumpFilterTest {
  private static final String EVERYTHING_AT_TRACE =
      """
      <configuration>
        <appender name="LIST" class="ch.qos.logback.core.read.ListAppender"/>
        <logger name="org.eclipse.jetty" level="TRACE"/>
        <root level="TRACE"><appender-ref ref="LIST"/></root>
      </configuration>
      """;

  @Test
  void theDatabaseLibrariesLinesThatNameTheConnectionAreDroppedBelowInfo() {
    LoggerContext context = new LoggerContext();
    ListAppender<ILoggingEvent> events = listAtTrace(context);
    WireDumpFilter.install(context);

    context
        .getLogger("com.zaxxer.hikari.HikariConfig")
        .debug("jdbcUrl.........................jdbc:postgresql://db.internal:5432/devicelogin");
    context
        .getLogger("com.zaxxer.hikari.util.DriverDataSource")
        .debug("Loaded driver for jdbcUrl=jdbc:postgresql://db.internal:5432/devicelogin");
    context
        .getLogger("org.postgresql.core.v3.ConnectionFactoryImpl")
        .debug("Trying to establish a protocol version 3 connection to db.internal:5432");
    context.getLogger("com.zaxxer.hikari.pool.HikariPool").debug("Pool stats (total=2)");
    context.getLogger("com.zaxxer.hikari.HikariConfig").warn("a setting is odd");

    assertThat(events.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("Pool stats (total=2)", "a setting is odd");
  }

  @Test
  void jettyBelowInfoIsDroppedWhileItsWarningsAndOurDebugLinesPass() {
    LoggerContext context = new LoggerContext();
    ListAppender<ILoggingEvent> events = listAtTrace(context);
    WireDumpFilter.install(context);

    Logger parser = context.getLogger("org.eclipse.jetty.http.HttpParser");
    parser.debug("parsedHeader(Authorization: Bearer …)");
    parser.trace("buffer {<<<token=…>>>}");
    context
        .getLogger("org.eclipse.jetty.util.IteratingCallback")
        .debug("GET /userinfo?access_token=…");
    parser.warn("bad message");
    context.getLogger("org.eclipse.jetty.server.Server").info("Started");
    context.getLogger("io.devicelogin.server.Whatever").debug("ours");
    context.getLogger("org.eclipse.jettyish.Other").debug("not Jetty");

    assertThat(parser.isDebugEnabled())
        .as("Jetty's own guard says no, so it builds no dump")
        .isFalse();
    assertThat(events.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("bad message", "Started", "ours", "not Jetty");
  }

  @Test
  void itIsInstalledOnceAndSurvivesAReloadOfTheConfiguration() throws Exception {
    LoggerContext context = new LoggerContext();
    WireDumpFilter.install(context);
    WireDumpFilter.install(context);
    assertThat(context.getTurboFilterList()).hasSize(1);

    // What a reload (scan="true", or a framework taking over) does: reset, then configure anew.
    context.reset();
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(context);
    joran.doConfigure(
        new ByteArrayInputStream(EVERYTHING_AT_TRACE.getBytes(StandardCharsets.UTF_8)));

    assertThat(context.getTurboFilterList()).singleElement().isInstanceOf(WireDumpFilter.class);
    assertThat(context.getLogger("org.eclipse.jetty.io.SocketChannelEndPoint").isDebugEnabled())
        .isFalse();
    assertThat(context.getLogger("io.devicelogin.Anything").isTraceEnabled()).isTrue();
  }

  @Test
  void aConfigurationFileOfThePersonsOwnGetsItToo() throws Exception {
    // -Dlogback.configurationFile, as an operator who wants everything would give it: Logback's own
    // start-up, which asks ServerLogging (META-INF/services) first.
    Path file = Files.createTempFile("logback-everything", ".xml");
    Files.writeString(file, EVERYTHING_AT_TRACE);
    String before = System.getProperty("logback.configurationFile");
    System.setProperty("logback.configurationFile", file.toString());
    try {
      LoggerContext context = new LoggerContext();
      new ContextInitializer(context).autoConfig();

      assertThat(context.getLogger("org.eclipse.jetty").getLevel())
          .as("the file was read")
          .isEqualTo(Level.TRACE);
      assertThat(WireDumpFilter.installedIn(context)).isTrue();
      assertThat(context.getLogger("org.eclipse.jetty.http.HttpParser").isDebugEnabled()).isFalse();
    } finally {
      if (before == null) {
        System.clearProperty("logback.configurationFile");
      } else {
        System.setProperty("logback.configurationFile", before);
      }
      Files.deleteIfExists(file);
    }
  }

  @Test
  void withoutTheFilterJettyLogsTheBearerTokenAndTheFormBodyAtDebug() {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger jetty = logging.getLogger("org.eclipse.jetty");
    Level level = jetty.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.setContext(logging);
    captured.start();
    // Jetty's lines go to this list only: not to the console, where the probes would be printed.
    jetty.addAppender(captured);
    jetty.setAdditive(false);
    jetty.setLevel(Level.DEBUG);
    try (TestServer server = TestServer.start()) {
      assertThat(WireDumpFilter.installedIn(logging)).as("the server installed it").isTrue();
      Map<String, String> withFilter = probe(server);
      List<String> linesWithFilter = lines(captured);
      assertThat(new SecretFinder(withFilter).findIn(String.join("\n", linesWithFilter))).isEmpty();
      assertThat(linesWithFilter)
          .as("Jetty's DEBUG lines")
          .noneMatch(line -> line.startsWith("DEBUG"));

      synchronized (captured) {
        captured.list.clear();
      }
      logging.getTurboFilterList().removeIf(f -> f instanceof WireDumpFilter);
      Map<String, String> withoutFilter = probe(server);
      List<SecretFinder.Finding> found =
          new SecretFinder(withoutFilter).findIn(String.join("\n", lines(captured)));
      assertThat(found)
          .as("what Jetty printed at DEBUG without the filter")
          .anySatisfy(
              f ->
                  assertThat(f.label() + (f.whole() ? ", whole" : ""))
                      .isEqualTo("the bearer token, whole"))
          .anySatisfy(f -> assertThat(f.label()).isEqualTo("the token in the form body"));
    } finally {
      WireDumpFilter.install(logging);
      jetty.setLevel(level);
      jetty.setAdditive(true);
      jetty.detachAppender(captured);
    }
  }

  /** A bearer token in a header and a token in a form body, each fresh; returns them labelled. */
  private static Map<String, String> probe(TestServer server) {
    String bearer = IssuedSecrets.fresh("probe-");
    String inForm = IssuedSecrets.fresh("probe-");
    OAuthCalls oauth = server.oauth();
    assertThat(oauth.userinfo(bearer).status()).isEqualTo(401);
    assertThat(
            oauth
                .introspectAs(
                    TestClients.RESOURCE_SERVER, server.clients.resourceServerSecret, inForm)
                .status())
        .isEqualTo(200);
    return Map.of(bearer, "the bearer token", inForm, "the token in the form body");
  }

  private static List<String> lines(ListAppender<ILoggingEvent> appender) {
    synchronized (appender) {
      return appender.list.stream()
          .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage())
          .collect(Collectors.toList());
    }
  }

  private static ListAppender<ILoggingEvent> listAtTrace(LoggerContext context) {
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.setContext(context);
    events.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.TRACE);
    root.addAppender(events);
    return events;
  }
}
