package io.devicelogin.server.policy;

import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.store.RateLimitStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A {@link RateLimiter} whose counts live in the database ({@code rate_limit_windows}: one row per
 * key and window), so that several instances on one PostgreSQL enforce one limit together: the
 * server's on PostgreSQL.
 *
 * <p>A request is counted by a conditional {@code UPDATE … SET hits = hits + 1 WHERE … AND hits <
 * limit}: the database locks the row and checks the condition again on the latest count, so of any
 * number of requests racing for a window, on any number of instances, exactly {@code limit} are
 * accepted. A refused request changes nothing (it neither writes nor waits for a row lock once the
 * window is full), so a flood of refused requests costs reads only. The first request of a window
 * finds no row and inserts it; when two insert at once, the unique key refuses the second, which
 * then counts in the row the first made.
 *
 * <p>Each statement commits by itself, through the pool for asynchronous commits as a rule ({@link
 * io.devicelogin.server.store.Database#asynchronousCommits}): a count lost in a crash of the
 * database only lets a few more requests through in that minute, and a commit that does not wait
 * for the disk holds the window's row lock for less time when many requests of one key are counted.
 */
public final class DatabaseRateLimiter implements RateLimiter {
  private final RateLimitStore store;
  private final Clock clock;
  private final long windowMillis;

  /**
   * @param jdbc on the pool for asynchronous commits, as a rule
   */
  public DatabaseRateLimiter(Jdbc jdbc, Clock clock, Duration window) {
    this.store = new RateLimitStore(jdbc);
    this.clock = clock;
    this.windowMillis = window.toMillis();
  }

  @Override
  public int acquire(String key, int limit) {
    if (key.length() > RateLimitStore.LONGEST_KEY) {
      throw new IllegalArgumentException(
          "a rate limit key is at most " + RateLimitStore.LONGEST_KEY + " characters");
    }
    long slot = clock.millis() / windowMillis;
    // Each pass decides, unless another request created the window's row in between: the row then
    // exists for the next pass, which decides. A full window never empties within its minute.
    for (int pass = 0; pass < 3; pass++) {
      if (store.countIfBelow(key, slot, limit)) {
        // Read after the count: at least this request's place, more if others counted since.
        return Math.min(limit, store.hits(key, slot).orElse(limit));
      }
      Optional<Integer> hits = store.hits(key, slot);
      if (hits.isPresent()) {
        if (hits.get() >= limit) {
          return 0;
        }
        continue; // created by another request since the update: count in it
      }
      if (store.open(key, slot)) {
        return 1;
      }
      // Another request opened the window first: count in its row.
    }
    throw new IllegalStateException(
        "a rate limit window kept changing under three attempts to count in it");
  }

  @Override
  public long secondsToNextWindow() {
    return RateLimiter.secondsToNextWindow(clock.millis(), windowMillis);
  }

  /**
   * Deletes every window older than the previous one. The previous one is kept because another
   * instance whose clock is a little behind may still be counting in it.
   */
  @Override
  public void forgetEndedWindows() {
    store.deleteBefore(clock.millis() / windowMillis - 1);
  }
}
