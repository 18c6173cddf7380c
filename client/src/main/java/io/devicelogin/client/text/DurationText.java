package io.devicelogin.client.text;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way a person writes a duration, in the server's configuration file and on the command
 * line alike: whole seconds ({@code 90}), a whole number with a unit ({@code 500ms}, {@code 90s},
 * {@code 10m}, {@code 8h}, {@code 30d}, case and a space before the unit ignored) or ISO-8601
 * ({@code PT10M}, {@code P30D}).
 */
public final class DurationText {
  /** What every message about a bad duration suggests. */
  public static final String EXAMPLES = "90s, 10m, 8h, 30d, 500ms or ISO-8601 such as PT10M";

  private static final Pattern SHORT = Pattern.compile("([0-9]{1,12})\\s*(ms|s|m|h|d)?");

  private DurationText() {}

  /** The duration {@code text} names, or empty when it follows none of the forms above. */
  public static Optional<Duration> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.strip().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      return Optional.of(
          switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
          });
    }
    try {
      return Optional.of(Duration.parse(t.toUpperCase(Locale.ROOT)));
    } catch (DateTimeParseException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  /**
   * The positive duration {@code text} names.
   *
   * @param what how a message names the value, such as {@code --timeout}
   * @throws IllegalArgumentException with a message that names {@code what} and shows the forms
   */
  public static Duration parsePositive(String what, String text) {
    Duration d =
        parse(text)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        what
                            + " is not a duration: \""
                            + text
                            + "\" (write it as "
                            + EXAMPLES
                            + ")"));
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be longer than zero");
    }
    return d;
  }

  /** A form {@link #parse} reads back exactly, for handing a duration to another process. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000 == 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
