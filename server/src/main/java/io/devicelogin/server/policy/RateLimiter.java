package io.devicelogin.server.policy;

/**
 * Fixed-window counters for the limits on device authorization requests (per IP address, per
 * client; {@link RateLimits}). Windows are fixed, not sliding: one minute long, counted from the
 * epoch by the server's clock. A request counts against its key's current window and is accepted
 * while that window has accepted fewer than {@code limit}; a refused one is told to retry when the
 * window ends.
 *
 * <p>Where the counts live is the server's choice, made in its wiring by the database it runs on:
 * on PostgreSQL, which several instances share, in the database ({@link DatabaseRateLimiter}), so
 * that a limit holds for all of them together; on H2, which only one process can open, in memory
 * ({@link InMemoryRateLimiter}), which is exact for that one process and costs no write.
 */
public interface RateLimiter {
  /**
   * Counts one request against {@code key}; false if its window has already accepted {@code limit}.
   */
  default boolean tryAcquire(String key, int limit) {
    return acquire(key, limit) > 0;
  }

  /**
   * Counts one request against {@code key}: its place in the window (1 for the first), or 0 if the
   * window has already accepted {@code limit}. Where several instances count together the place may
   * be a little high (requests of other instances counted in between), never low.
   */
  int acquire(String key, int limit);

  /** Seconds until the current window ends, at least 1: the {@code Retry-After} of a refusal. */
  long secondsToNextWindow();

  /**
   * Drops the counts of windows that have ended, for limiters that keep them anywhere but memory.
   */
  default void forgetEndedWindows() {}

  /**
   * Seconds from {@code nowMillis} to the end of its window of {@code windowMillis}, rounded up.
   */
  static long secondsToNextWindow(long nowMillis, long windowMillis) {
    return Math.max(1, (windowMillis - nowMillis % windowMillis + 999) / 1000);
  }
}
