package io.devicelogin.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.Marker;

/**
 * Drops every event of Jetty's loggers ({@code org.eclipse.jetty…}) below {@code INFO}, whatever
 * level the configuration gives them: Jetty's DEBUG lines print what crosses the wire. With every
 * logger at TRACE, a login through the pages and the command showed, in the server's log:
 *
 * <ul>
 *   <li>{@code org.eclipse.jetty.http.HttpParser}: every request header, whole, {@code
 *       Authorization: Bearer …} and {@code Basic …} and the session {@code Cookie} among them;
 *   <li>{@code org.eclipse.jetty.io} (the end points), {@code org.eclipse.jetty.server} ({@code
 *       HttpConnection}, {@code Request}) and {@code org.eclipse.jetty.ee10.servlet} (the content
 *       producers): the first and last bytes of every buffer read, which hold the end of the
 *       headers, and the start and end of form bodies (a token to introspect, a refresh token, the
 *       password at sign-in);
 *   <li>{@code org.eclipse.jetty.server.internal.HttpChannelState} and even {@code
 *       org.eclipse.jetty.util.IteratingCallback}: the request line, query string included, where a
 *       careless client puts a token.
 * </ul>
 *
 * <p>So no Jetty package is safe to leave at DEBUG, and the rule is by prefix, not by class: a
 * newer Jetty that prints bytes from another class is covered too. Jetty's own INFO, WARN and ERROR
 * lines (start, stop, failures) pass. Nothing of ours is touched: our loggers never log a secret at
 * any level, which the tests check.
 *
 * <p>The same holds for the database libraries' lines that name the connection: at DEBUG HikariCP
 * prints its whole configuration (the JDBC URL, the user) and the URL again as it loads the driver,
 * and the PostgreSQL driver the host, port and user of each connection it opens. Those are dropped
 * below {@code INFO} too ({@link #CONNECTION_SETTINGS}); HikariCP's pool statistics pass.
 *
 * <p>Being a {@link TurboFilter}, it answers before a message is formatted, and Jetty's {@code
 * isDebugEnabled()} checks answer false, so the dumps are not even built. {@link #install} puts it
 * into a Logback context once, and keeps it there across a reset (a reload of the configuration
 * resets the context, which removes turbo filters).
 */
public final class WireDumpFilter extends TurboFilter {
  static final String JETTY = "org.eclipse.jetty.";

  /** The loggers, by prefix, that print the database's connection settings below INFO. */
  static final List<String> CONNECTION_SETTINGS =
      List.of(
          "com.zaxxer.hikari.HikariConfig",
          "com.zaxxer.hikari.util.DriverDataSource",
          "org.postgresql.");

  public WireDumpFilter() {
    setName("devicelogin-wire-dump-filter");
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != null && level.levelInt < Level.INFO_INT && isDropped(logger.getName())) {
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }

  private static boolean isDropped(String name) {
    if (name.startsWith(JETTY)) {
      return true;
    }
    for (String prefix : CONNECTION_SETTINGS) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Installs the filter into SLF4J's context when Logback is behind it; otherwise does nothing. */
  public static void installIfLogback(ILoggerFactory factory) {
    if (factory instanceof LoggerContext context) {
      install(context);
    }
  }

  /** Installs the filter into {@code context}, once, and again after each reset of it. */
  public static synchronized void install(LoggerContext context) {
    boolean listening =
        context.getCopyOfListenerList().stream().anyMatch(l -> l instanceof Reinstall);
    if (!listening) {
      context.addListener(new Reinstall());
    }
    addTo(context);
  }

  static boolean installedIn(LoggerContext context) {
    return context.getTurboFilterList().stream().anyMatch(f -> f instanceof WireDumpFilter);
  }

  private static void addTo(LoggerContext context) {
    if (!installedIn(context)) {
      WireDumpFilter filter = new WireDumpFilter();
      filter.setContext(context);
      filter.start();
      context.addTurboFilter(filter);
    }
  }

  /** Puts the filter back after a reset, which clears every turbo filter first. */
  private static final class Reinstall implements LoggerContextListener {
    @Override
    public boolean isResetResistant() {
      return true;
    }

    @Override
    public void onReset(LoggerContext context) {
      addTo(context);
    }

    @Override
    public void onStart(LoggerContext context) {}

    @Override
    public void onStop(LoggerContext context) {}

    @Override
    public void onLevelChange(Logger logger, Level level) {}
  }
}
