package io.devicelogin.client.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test if any secret in {@link IssuedSecrets}, or a piece of one ({@link SecretFinder}),
 * shows up in a log event (every logger at TRACE, message, arguments and stack traces formatted) or
 * in what the test wrote to standard output or standard error.
 */
public final class NoSecretsInOutput implements BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(NoSecretsInOutput.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Capture capture = new Capture(root.getLevel());
    capture.setContext(logging);
    capture.start();
    root.addAppender(capture);
    root.setLevel(Level.TRACE);
    capture.out = System.out;
    capture.err = System.err;
    System.setOut(
        new PrintStream(new Tee(capture.out, capture.printed), true, StandardCharsets.UTF_8));
    System.setErr(
        new PrintStream(new Tee(capture.err, capture.printed), true, StandardCharsets.UTF_8));
    context.getStore(NS).put(Capture.class, capture);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Capture capture = context.getStore(NS).remove(Capture.class, Capture.class);
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(capture);
    root.setLevel(capture.previousLevel);
    System.setOut(capture.out);
    System.setErr(capture.err);
    String text = capture.text();
    if (capture.events == 0 && capture.printed.size() == 0) {
      return;
    }
    // Pieces count too: a buffer dump cut a token in two would otherwise pass.
    List<SecretFinder.Finding> found = SecretFinder.ofIssued().findIn(text);
    if (!found.isEmpty()) {
      throw new AssertionError(
          "a secret issued during the tests appears in the output of "
              + context.getDisplayName()
              + ": "
              + found.get(0).describe()
              + " of what it logged and printed");
    }
  }

  /** Whether the extension captured any log event; tests of the guard itself use it. */
  static final class Capture extends AppenderBase<ILoggingEvent> {
    final Level previousLevel;
    final List<String> lines = new ArrayList<>();
    final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int events;
    PrintStream out;
    PrintStream err;

    Capture(Level previousLevel) {
      this.previousLevel = previousLevel;
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
      events++;
      StringBuilder line = new StringBuilder(event.getFormattedMessage());
      if (event.getArgumentArray() != null) {
        for (Object arg : event.getArgumentArray()) {
          line.append(' ').append(arg);
        }
      }
      for (var t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        line.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
      }
      lines.add(line.toString());
    }

    synchronized String text() {
      return String.join("\n", lines) + "\n" + printed.toString(StandardCharsets.UTF_8);
    }
  }

  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final ByteArrayOutputStream b;

    Tee(OutputStream a, ByteArrayOutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) {
      try {
        a.write(c);
      } catch (IOException ignored) {
        // Standard output failing is not this test's concern.
      }
      synchronized (b) {
        b.write(c);
      }
    }

    @Override
    public void write(byte[] buf, int off, int len) {
      try {
        a.write(buf, off, len);
      } catch (IOException ignored) {
        // As above.
      }
      synchronized (b) {
        b.write(buf, off, len);
      }
    }
  }
}
