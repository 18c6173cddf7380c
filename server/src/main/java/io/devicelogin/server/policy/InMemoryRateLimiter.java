package io.devicelogin.server.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link RateLimiter} whose counts live in this process's memory: the server's on H2, where no
 * other instance can share its database. Every request, refused ones too, increments its window's
 * counter, and a request is accepted while the count is at most the limit: the same decisions as
 * counting accepted requests only. Ended windows expire on their own.
 */
public final class InMemoryRateLimiter implements RateLimiter {
  private final Cache<String, AtomicInteger> windows;
  private final Clock clock;
  private final Duration window;

  public InMemoryRateLimiter(Clock clock, Duration window) {
    this.clock = clock;
    this.window = window;
    this.windows =
        Caffeine.newBuilder()
            .expireAfterWrite(window.multipliedBy(2))
            .maximumSize(1_000_000)
            .build();
  }

  @Override
  public int acquire(String key, int limit) {
    long slot = clock.millis() / window.toMillis();
    AtomicInteger count = windows.get(key + "@" + slot, k -> new AtomicInteger());
    int place = count.incrementAndGet();
    return place <= limit ? place : 0;
  }

  @Override
  public long secondsToNextWindow() {
    return RateLimiter.secondsToNextWindow(clock.millis(), window.toMillis());
  }
}
