package io.devicelogin.cli.terminal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The countdown under a code: the deadline (when the code expires, or sooner when the client gives
 * up first, {@code --timeout}), what keeps the polls from getting through, and what the plain lines
 * have said already. It is told the time and answers what to show; it writes nothing and has no
 * thread, so a test drives it with any clock.
 *
 * <p>In place (a terminal with escape codes), one line is redrawn every second: {@link #line}. As
 * plain lines, where nothing is redrawn, a line comes once a minute fewer is left and once when
 * time is up ({@link #tick}), and a line about trouble each time it changes ({@link #trouble}).
 */
final class Countdown {
  private final Instant expiresAt;

  /** When the client itself stops waiting, from the last poll; null until a poll says. */
  private Instant givesUpAt;

  /** What keeps the polls from getting through; null while they do. */
  private String trouble;

  /** The last trouble written as a plain line, so that the same one is not written again. */
  private String lastTroubleLine;

  private long lastMinutesAnnounced;
  private boolean overAnnounced;
  private int frame;

  Countdown(Instant expiresAt, Instant now) {
    this.expiresAt = expiresAt;
    this.lastMinutesAnnounced = LoginText.minutesLeft(Duration.between(now, expiresAt));
  }

  /** A poll said how long the client keeps waiting; negative: it did not say. */
  void timeLeft(Duration timeLeft, Instant now) {
    if (!timeLeft.isNegative()) {
      givesUpAt = now.plus(timeLeft);
    }
  }

  /** Whether the client gives up (a second or more) before the code expires. */
  boolean givesUpFirst() {
    return givesUpAt != null && givesUpAt.isBefore(expiresAt.minusSeconds(1));
  }

  /** The time left until the deadline; zero or negative when it has passed. */
  Duration left(Instant now) {
    return Duration.between(now, givesUpFirst() ? givesUpAt : expiresAt);
  }

  /** The line redrawn in place, with the spinner one frame on. */
  String line(Instant now) {
    Duration left = left(now);
    if (left.isZero() || left.isNegative()) {
      return "✗ " + LoginText.over(givesUpFirst());
    }
    return LoginText.counting(frame++, LoginText.label(givesUpFirst()), left, trouble);
  }

  /** Where nothing is redrawn: the line this second adds, if any. */
  Optional<String> tick(Instant now) {
    Duration left = left(now);
    if (left.isZero() || left.isNegative()) {
      if (overAnnounced) {
        return Optional.empty();
      }
      overAnnounced = true;
      return Optional.of(LoginText.over(givesUpFirst()));
    }
    long minutes = LoginText.minutesLeft(left);
    if (minutes >= lastMinutesAnnounced) {
      return Optional.empty();
    }
    lastMinutesAnnounced = minutes;
    return Optional.of(LoginText.stillWaiting(LoginText.label(givesUpFirst()), left));
  }

  /**
   * What keeps the polls from getting through, or, with a null {@code text}, that they get through
   * again; returns the plain line that says so, if one is due. The doubling waits of a backoff each
   * get a line ({@code retryIn}, when the next try comes), the same wait again (at the backoff's
   * cap) none, so that a long outage is a few lines, not one a poll. When the polls get through
   * again a line says so, or a person reading a log would still believe the server unreachable.
   */
  Optional<String> trouble(String text, Duration retryIn) {
    boolean hadTrouble = trouble != null;
    trouble = text;
    if (text == null) {
      lastTroubleLine = null;
      return hadTrouble ? Optional.of(LoginText.ANSWERS_AGAIN) : Optional.empty();
    }
    String line = LoginText.trouble(text, retryIn);
    if (line.equals(lastTroubleLine)) {
      return Optional.empty();
    }
    lastTroubleLine = line;
    return Optional.of(line);
  }
}
