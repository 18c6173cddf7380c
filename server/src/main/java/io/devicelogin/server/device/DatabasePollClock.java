package io.devicelogin.server.device;

import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.store.PollClockStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A {@link PollClock} that keeps each pending code's last accepted poll and current interval in the
 * code's row ({@code last_poll_ms}, {@code poll_interval_seconds}), so that instances sharing one
 * PostgreSQL hold a client to one interval however its polls are spread over them: the server's on
 * PostgreSQL.
 *
 * <p>Each poll is judged and recorded by one conditional {@code UPDATE} that holds the rules in SQL
 * and matches only a code pending for this client. The database locks the row for it, so polls of
 * one code, on any instances, are judged one after the other, each against what the one before
 * wrote: of two polls at the same moment, one is on time and the other too early. The verdict comes
 * back from the same statement ({@code last_poll_too_early} and the interval, as JDBC generated
 * keys), not from a second read that another poll could slip in front of.
 *
 * <p>That is a write on every pending poll, made cheap: one statement, committed by itself through
 * the pool for asynchronous commits ({@link
 * io.devicelogin.server.store.Database#asynchronousCommits}), so that it neither waits for the disk
 * nor takes more than one round trip. A crash may forget the last moment's poll times, which only
 * lets the next poll of those codes count as on time.
 *
 * <p>Times are the server's clock, as everywhere else in the server: instances whose clocks differ
 * by a few milliseconds judge a poll a few milliseconds differently, so keep them synchronised
 * (NTP).
 */
public final class DatabasePollClock implements PollClock {
  private final PollClockStore store;

  /** The least time between accepted polls, per second of interval: 900 ms for a grace of 10 %. */
  private final long minimumMillisPerSecond;

  private final int slowDownSeconds = (int) Defaults.SLOW_DOWN_INCREMENT.toSeconds();

  /**
   * @param jdbc on the pool for asynchronous commits, as a rule
   * @param grace the share of the interval a poll may come early by; whole milliseconds per second
   *     of interval (10 % is 100 ms), so that integer arithmetic in SQL gives the same verdicts as
   *     {@link InMemoryPollClock} (for intervals of whole seconds and polls at whole milliseconds)
   */
  public DatabasePollClock(Jdbc jdbc, double grace) {
    double perSecond = 1000 * (1 - grace);
    if (grace < 0 || grace >= 1 || Math.abs(perSecond - Math.rint(perSecond)) > 1e-9) {
      throw new IllegalArgumentException(
          "the grace must leave whole milliseconds of each second: " + grace);
    }
    this.store = new PollClockStore(jdbc);
    this.minimumMillisPerSecond = Math.round(perSecond);
  }

  public DatabasePollClock(Jdbc jdbc) {
    this(jdbc, Defaults.POLL_GRACE);
  }

  @Override
  public Optional<Verdict> pollIfPending(String codeHash, String clientId, Instant now) {
    return store
        .judge(codeHash, clientId, now, minimumMillisPerSecond, slowDownSeconds)
        .map(j -> new Verdict(j.tooEarly(), Duration.ofSeconds(j.intervalSeconds())));
  }

  /**
   * Nothing to forget: a code that can no longer be polled is no longer pending, and never matches.
   */
  @Override
  public void forget(String codeHash) {}
}
