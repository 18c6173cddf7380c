package io.devicelogin.client.flow;

import java.time.Duration;

/**
 * The client-side limits of polling. Defaults:
 *
 * <ul>
 *   <li>{@code maximumWait} 30 min: the hard timeout is the smaller of this and the code's {@code
 *       expires_in}. 30 min covers the longest lifetime the known providers give (Google's); the
 *       cap keeps a server that sends a lifetime of days from holding a terminal that long;
 *   <li>{@code clockDriftPad} 5 %: every wait is the interval times 1.05. Clocks of virtual
 *       machines and WSL can run a few percent fast after a host sleeps; a server measuring the gap
 *       between polls with its own clock would then see them too early and answer {@code
 *       slow_down}, which costs 5 s for the rest of the login. 5 % of the default 5 s interval is
 *       250 ms;
 *   <li>{@code maximumBackoff} 60 s: after connection failures, timeouts and 5xx answers the wait
 *       doubles from the interval (2×, 4×, …) up to this cap (RFC 8628 §3.5 asks for exponential
 *       backoff).
 * </ul>
 */
public final class PollingPolicy {
  public static final Duration DEFAULT_MAXIMUM_WAIT = Duration.ofMinutes(30);
  public static final double DEFAULT_CLOCK_DRIFT_PAD = 0.05;
  public static final Duration DEFAULT_MAXIMUM_BACKOFF = Duration.ofSeconds(60);

  /** RFC 8628 §3.5: {@code slow_down} adds 5 s to the interval. */
  public static final Duration SLOW_DOWN_INCREMENT = Duration.ofSeconds(5);

  private final Duration maximumWait;
  private final double clockDriftPad;
  private final Duration maximumBackoff;

  private PollingPolicy(Duration maximumWait, double clockDriftPad, Duration maximumBackoff) {
    if (maximumWait.isNegative() || maximumWait.isZero()) {
      throw new IllegalArgumentException("the maximum wait must be positive");
    }
    if (!(clockDriftPad >= 0 && clockDriftPad <= 1)) {
      throw new IllegalArgumentException("the clock drift pad must be between 0 and 1");
    }
    if (maximumBackoff.isNegative() || maximumBackoff.isZero()) {
      throw new IllegalArgumentException("the maximum backoff must be positive");
    }
    this.maximumWait = maximumWait;
    this.clockDriftPad = clockDriftPad;
    this.maximumBackoff = maximumBackoff;
  }

  public static PollingPolicy defaults() {
    return new PollingPolicy(
        DEFAULT_MAXIMUM_WAIT, DEFAULT_CLOCK_DRIFT_PAD, DEFAULT_MAXIMUM_BACKOFF);
  }

  public PollingPolicy withMaximumWait(Duration wait) {
    return new PollingPolicy(wait, clockDriftPad, maximumBackoff);
  }

  public PollingPolicy withClockDriftPad(double pad) {
    return new PollingPolicy(maximumWait, pad, maximumBackoff);
  }

  public PollingPolicy withMaximumBackoff(Duration backoff) {
    return new PollingPolicy(maximumWait, clockDriftPad, backoff);
  }

  public Duration maximumWait() {
    return maximumWait;
  }

  public double clockDriftPad() {
    return clockDriftPad;
  }

  public Duration maximumBackoff() {
    return maximumBackoff;
  }

  /** The wait before a poll at {@code interval}: the interval plus the drift pad. */
  public Duration padded(Duration interval) {
    long millis = interval.toMillis();
    return Duration.ofMillis(millis + Math.round(millis * clockDriftPad));
  }

  /**
   * The wait after the {@code failures}-th consecutive transport or server failure: the interval
   * doubled once per failure, capped at the maximum backoff (but never below the interval), padded.
   */
  public Duration backoff(Duration interval, int failures) {
    Duration cap = maximumBackoff.compareTo(interval) > 0 ? maximumBackoff : interval;
    Duration wait = interval;
    for (int i = 0; i < failures && wait.compareTo(cap) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return padded(wait.compareTo(cap) > 0 ? cap : wait);
  }
}
