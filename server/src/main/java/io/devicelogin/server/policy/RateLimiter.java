package io.devicelogin.server.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fixed-window counters in memory, for limits on hot paths (device authorization requests per IP
 * and per client). Each instance counts its own requests.
 */
public final class RateLimiter {
  private final Cache<String, AtomicInteger> windows;
  private final Clock clock;
  private final Duration window;

  public RateLimiter(Clock clock, Duration window) {
    this.clock = clock;
    this.window = window;
    this.windows = Caffeine.newBuilder().expireAfterWrite(window.multipliedBy(2)).maximumSize(1_000_000).build();
  }

  /** Counts one request against {@code key}; false if that exceeds {@code limit} in this window. */
  public boolean tryAcquire(String key, int limit) {
    long slot = clock.millis() / window.toMillis();
    AtomicInteger count = windows.get(key + "@" + slot, k -> new AtomicInteger());
    return count.incrementAndGet() <= limit;
  }

  /** Seconds until the current window ends. */
  public long secondsToNextWindow() {
    long w = window.toMillis();
    return Math.max(1, (w - clock.millis() % w + 999) / 1000);
  }
}
