package io.devicelogin.cli.terminal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the login screen may do on standard error: draw in place, use colour and bold, and how wide
 * it may draw.
 *
 * <p>Use {@link #detect()} in the command. Tests and callers that know better build one with the
 * canonical constructor or {@link #detect(Map, BooleanSupplier, Supplier)}.
 *
 * @param interactive standard error is a terminal a person watches (and {@code TERM} is not {@code
 *     dumb}): worth a countdown and a QR code
 * @param columns the terminal's width in columns; 80 when unknown
 * @param rows the terminal's height in lines; 0 when unknown
 * @param escapes ANSI escape sequences (bold, colour, erase line) may be written
 */
public record TerminalInfo(boolean interactive, int columns, int rows, boolean escapes) {
  /** The width assumed when nothing tells it. */
  public static final int DEFAULT_COLUMNS = 80;

  private static final long STTY_TIMEOUT_MILLIS = 500;

  public TerminalInfo {
    if (columns <= 0) {
      throw new IllegalArgumentException("columns must be positive: " + columns);
    }
    if (rows < 0) {
      throw new IllegalArgumentException("rows must not be negative: " + rows);
    }
    if (escapes && !interactive) {
      throw new IllegalArgumentException("escape codes only go to an interactive terminal");
    }
  }

  /** Standard error goes to a file or a pipe: plain lines only, 80 columns. */
  public static TerminalInfo notATerminal() {
    return new TerminalInfo(false, DEFAULT_COLUMNS, 0, false);
  }

  /** Looks at this process: its environment, its standard error, and {@code stty size}. */
  public static TerminalInfo detect() {
    return detect(System.getenv(), TerminalInfo::stderrIsTerminal, TerminalInfo::sttySize);
  }

  /**
   * Looks at this process's standard error and {@code stty size}, with {@code env} standing for the
   * environment (a command that takes its environment as a map passes it here).
   */
  public static TerminalInfo detect(Map<String, String> env) {
    return detect(env, TerminalInfo::stderrIsTerminal, TerminalInfo::sttySize);
  }

  /**
   * Decides from an environment and two probes, each called at most once and only when needed.
   *
   * <ul>
   *   <li>interactive: {@code stderrIsTerminal} and {@code TERM} is not {@code dumb};
   *   <li>escapes: interactive, {@code NO_COLOR} absent (whatever its value, even empty), and a
   *       terminal that reads them: {@code TERM} set (every Unix terminal sets it) or {@code
   *       WT_SESSION} (Windows Terminal); the classic Windows console sets neither and would show
   *       the codes as text;
   *   <li>columns: {@code COLUMNS}, else the probe's width, else 80; rows likewise from {@code
   *       LINES}, else 0. The probe runs only on a terminal, and only if the environment lacks one
   *       of the two.
   * </ul>
   *
   * @param ttySize the terminal's size, empty when it cannot be read
   */
  public static TerminalInfo detect(
      Map<String, String> env, BooleanSupplier stderrIsTerminal, Supplier<Optional<Size>> ttySize) {
    Objects.requireNonNull(env, "env");
    String term = env.get("TERM");
    boolean terminal = stderrIsTerminal.getAsBoolean();
    boolean interactive = terminal && !"dumb".equals(term);
    boolean escapes =
        interactive
            && !env.containsKey("NO_COLOR")
            && ((term != null && !term.isBlank()) || env.containsKey("WT_SESSION"));
    Optional<Integer> envColumns = positive(env.get("COLUMNS"));
    Optional<Integer> envRows = positive(env.get("LINES"));
    Optional<Size> probed =
        terminal && (envColumns.isEmpty() || envRows.isEmpty()) ? ttySize.get() : Optional.empty();
    int columns = envColumns.or(() -> probed.map(Size::columns)).orElse(DEFAULT_COLUMNS);
    int rows = envRows.or(() -> probed.map(Size::rows)).orElse(0);
    return new TerminalInfo(interactive, columns, rows, escapes);
  }

  /** A terminal's size as {@code stty size} reports it. */
  public record Size(int rows, int columns) {
    public Size {
      if (rows <= 0 || columns <= 0) {
        throw new IllegalArgumentException("a terminal size is positive: " + rows + "x" + columns);
      }
    }
  }

  private static Optional<Integer> positive(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      int n = Integer.parseInt(value.trim());
      return n > 0 ? Optional.of(n) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether file descriptor 2 is a terminal. On Linux {@code /proc/self/fd/2} says so exactly;
   * there {@code System.console()} would be wrong for {@code devicelogin login --json | jq}, where
   * stdout is a pipe but a person still watches stderr. Elsewhere the console is the best Java 17
   * offers.
   */
  static boolean stderrIsTerminal() {
    Path fd2 = Path.of("/proc/self/fd/2");
    try {
      if (Files.isSymbolicLink(fd2)) {
        String target = Files.readSymbolicLink(fd2).toString();
        return target.startsWith("/dev/pts/")
            || target.startsWith("/dev/tty")
            || target.equals("/dev/console");
      }
    } catch (IOException | SecurityException | UnsupportedOperationException e) {
      // Fall through to the portable guess.
    }
    return System.console() != null;
  }

  /** {@code stty size < /dev/tty}, bounded in time; empty when anything about it fails. */
  static Optional<Size> sttySize() {
    File tty = new File("/dev/tty");
    if (!tty.exists()) {
      return Optional.empty();
    }
    Process process = null;
    try {
      process =
          new ProcessBuilder("stty", "size")
              .redirectInput(tty)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(STTY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
          || process.exitValue() != 0) {
        return Optional.empty();
      }
      String[] parts =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
              .trim()
              .split("\\s+");
      if (parts.length != 2) {
        return Optional.empty();
      }
      return Optional.of(new Size(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }
}
