package io.devicelogin.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final ManualClock clock = ManualClock.atEpochOf2026();
  private final RateLimiter limiter = new RateLimiter(clock, Duration.ofMinutes(1));

  @Test
  void allowsTheLimitPerKeyAndWindowThenRefusesUntilTheNextWindow() {
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire("ip:203.0.113.7", 3)).isTrue();
    }
    assertThat(limiter.tryAcquire("ip:203.0.113.7", 3)).isFalse();
    assertThat(limiter.tryAcquire("ip:198.51.100.1", 3)).as("another key has its own count").isTrue();

    clock.advance(Duration.ofSeconds(limiter.secondsToNextWindow()));
    assertThat(limiter.tryAcquire("ip:203.0.113.7", 3)).isTrue();
  }

  @Test
  void saysWhenTheWindowEnds() {
    long first = limiter.secondsToNextWindow();
    assertThat(first).isBetween(1L, 60L);
    clock.advance(Duration.ofSeconds(first - 1));
    assertThat(limiter.secondsToNextWindow()).isEqualTo(1);
  }
}
