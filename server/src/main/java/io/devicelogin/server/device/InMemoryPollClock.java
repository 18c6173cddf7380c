package io.devicelogin.server.device;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.store.PollClockStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A {@link PollClock} that keeps when each pending code was last polled, and its current interval,
 * in this process's memory: the server's on H2, where no other instance shares the database. A
 * pending poll reads one column of one row, by the unique index on the device code's hash, and
 * writes nothing.
 */
public final class InMemoryPollClock implements PollClock {
  private final PollClockStore store;
  private final Cache<String, Entry> entries;
  private final double grace;

  public InMemoryPollClock(Jdbc jdbc, Duration longestCodeLifetime, double grace) {
    this.store = new PollClockStore(jdbc);
    this.entries =
        Caffeine.newBuilder()
            .expireAfterWrite(longestCodeLifetime.plusMinutes(1))
            .maximumSize(2_000_000)
            .build();
    this.grace = grace;
  }

  public InMemoryPollClock(Jdbc jdbc) {
    this(jdbc, Duration.ofHours(1), Defaults.POLL_GRACE);
  }

  @Override
  public Optional<Verdict> pollIfPending(String codeHash, String clientId, Instant now) {
    return store
        .pendingInterval(codeHash, clientId, now)
        .map(seconds -> poll(codeHash, Duration.ofSeconds(seconds), now));
  }

  /**
   * Judges a poll of the code with hash {@code codeHash}, whose interval starts at {@code initial}.
   */
  Verdict poll(String codeHash, Duration initial, Instant now) {
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

  @Override
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
