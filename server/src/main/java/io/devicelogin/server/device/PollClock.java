package io.devicelogin.server.device;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.devicelogin.server.Defaults;
import java.time.Duration;
import java.time.Instant;

/**
 * When each pending code was last polled, and its current interval, kept in memory so that a
 * pending poll writes nothing to the database (several instances each keep their own).
 *
 * <p>The rules (RFC 8628 §3.5): the first poll is never too early; a poll sooner than 90 % of the
 * interval after the last accepted poll is answered {@code slow_down} and the interval grows by 5 s;
 * a rejected poll does not move the clock the next poll is measured from.
 */
public final class PollClock {
  private final Cache<String, Entry> entries;
  private final double grace;

  public PollClock(Duration longestCodeLifetime, double grace) {
    this.entries = Caffeine.newBuilder()
        .expireAfterWrite(longestCodeLifetime.plusMinutes(1))
        .maximumSize(2_000_000)
        .build();
    this.grace = grace;
  }

  public PollClock() {
    this(Duration.ofHours(1), Defaults.POLL_GRACE);
  }

  /** What a poll at {@code now} is: on time, or too early (with the interval now in force). */
  public record Verdict(boolean tooEarly, Duration interval) {}

  /** Judges a poll of the code with hash {@code codeHash}, whose interval starts at {@code initial}. */
  public Verdict poll(String codeHash, Duration initial, Instant now) {
    Entry entry = entries.get(codeHash, k -> new Entry(initial));
    synchronized (entry) {
      if (entry.lastAccepted == null) {
        entry.lastAccepted = now;
        return new Verdict(false, entry.interval);
      }
      long minimumMillis = Math.round(entry.interval.toMillis() * (1 - grace));
      if (Duration.between(entry.lastAccepted, now).toMillis() < minimumMillis) {
        entry.interval = entry.interval.plus(Defaults.SLOW_DOWN_INCREMENT);
        return new Verdict(true, entry.interval);
      }
      entry.lastAccepted = now;
      return new Verdict(false, entry.interval);
    }
  }

  /** Forgets a code that can no longer be polled. */
  public void forget(String codeHash) {
    entries.invalidate(codeHash);
  }

  /** How many codes are being tracked. */
  public long size() {
    return entries.estimatedSize();
  }

  private static final class Entry {
    Instant lastAccepted;
    Duration interval;

    Entry(Duration interval) {
      this.interval = interval;
    }
  }
}
