package io.devicelogin.cli.agent;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as people write them: {@code 8h}, {@code 30m}, {@code 2s}, {@code 500ms}, or
 * ISO-8601.
 */
final class IdleTimeout {
  static final Duration DEFAULT = Duration.ofHours(8);
  private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private IdleTimeout() {}

  static Duration parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE.matcher(t);
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          d = Duration.ofMillis(n);
          break;
        case "s":
          d = Duration.ofSeconds(n);
          break;
        case "m":
          d = Duration.ofMinutes(n);
          break;
        case "h":
          d = Duration.ofHours(n);
          break;
        default:
          d = Duration.ofDays(n);
          break;
      }
    } else {
      try {
        d = Duration.parse(text.strip().toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "not a duration: \"" + text + "\" (write it as 8h, 30m, 90s or 500ms)");
      }
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("the idle timeout must be positive");
    }
    return d;
  }

  /** The form {@link #parse} reads back, for the agent's command line. */
  static String format(Duration d) {
    return d.toMillis() + "ms";
  }
}
