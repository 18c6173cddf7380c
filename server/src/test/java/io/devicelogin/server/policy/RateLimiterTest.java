package io.devicelogin.server.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.devicelogin.client.testing.ManualClock;
import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.testing.Backend;
import io.devicelogin.server.testing.FreshDatabase;
import io.devicelogin.server.testing.StartingGate;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fixed-window limits of {@link RateLimiter}, the same wherever the counts live: in memory (the
 * server's on H2) and in the database (the server's on PostgreSQL, tested on both databases). The
 * database's counts hold for several limiters on one database, as for several instances, and are
 * exact when requests race.
 */
@ParameterizedClass
@EnumSource(RateLimiterTest.Counts.class)
class RateLimiterTest {
  /** Where the counts live. */
  enum Counts {
    IN_MEMORY,
    IN_H2,
    IN_POSTGRES
  }

  private static final String KEY = "device-ip:203.0.113.7";

  @Parameter Counts counts;

  private final ManualClock clock = ManualClock.atEpochOf2026();
  private FreshDatabase database;

  /** Another limiter as another instance would have: its own pool on the same database. */
  private Supplier<RateLimiter> another;

  private RateLimiter limiter;

  @BeforeEach
  void newLimiter() {
    if (counts == Counts.IN_MEMORY) {
      another = () -> new InMemoryRateLimiter(clock, Duration.ofMinutes(1));
    } else {
      database = FreshDatabase.create(counts == Counts.IN_H2 ? Backend.H2 : Backend.POSTGRES);
      another =
          () ->
              new DatabaseRateLimiter(
                  new Jdbc(database.open().dataSource()), clock, Duration.ofMinutes(1));
    }
    limiter = another.get();
  }

  @AfterEach
  void closeDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @Test
  void allowsTheLimitPerKeyAndWindowThenRefusesUntilTheNextWindow() {
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire(KEY, 3)).isTrue();
    }
    assertThat(limiter.tryAcquire(KEY, 3)).isFalse();
    assertThat(limiter.tryAcquire("device-ip:198.51.100.1", 3))
        .as("another key has its own count")
        .isTrue();

    clock.advance(Duration.ofSeconds(limiter.secondsToNextWindow()));
    assertThat(limiter.tryAcquire(KEY, 3)).isTrue();
  }

  @Test
  void anAcceptedRequestIsToldItsPlaceInTheWindowARefusedOneZero() {
    // The fair share of a client's budget is decided by an address group's place in its window.
    assertThat(limiter.acquire(KEY, 3)).isEqualTo(1);
    assertThat(limiter.acquire(KEY, 3)).isEqualTo(2);
    assertThat(limiter.acquire(KEY, 3)).isEqualTo(3);
    assertThat(limiter.acquire(KEY, 3)).isZero();
    clock.advance(Duration.ofSeconds(limiter.secondsToNextWindow()));
    assertThat(limiter.acquire(KEY, 3)).isEqualTo(1);
  }

  @Test
  void saysWhenTheWindowEnds() {
    long first = limiter.secondsToNextWindow();
    assertThat(first).isBetween(1L, 60L);
    clock.advance(Duration.ofSeconds(first - 1));
    assertThat(limiter.secondsToNextWindow()).isEqualTo(1);
  }

  @Test
  void
      windowsAreFixedMinutesSoTheLimitIsAvailableAgainAtTheNextMinuteNotAMinuteAfterTheFirstRequest() {
    // The clock starts on a whole minute: one second before the next.
    clock.advance(Duration.ofSeconds(59));
    assertThat(limiter.secondsToNextWindow()).isEqualTo(1);
    assertThat(limiter.tryAcquire(KEY, 2)).isTrue();
    assertThat(limiter.tryAcquire(KEY, 2)).isTrue();
    assertThat(limiter.tryAcquire(KEY, 2)).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.tryAcquire(KEY, 2)).isTrue();
    assertThat(limiter.tryAcquire(KEY, 2)).isTrue();
    assertThat(limiter.tryAcquire(KEY, 2)).isFalse();
  }

  @Test
  void exactlyTheLimitIsAcceptedWhenRequestsRaceForTheFirstPlacesOfAWindow() throws Exception {
    // Each round is a new window: every request races to be the first, whose row does not exist
    // yet.
    for (int round = 0; round < 5; round++) {
      clock.advance(Duration.ofMinutes(1));
      assertThat(race(limiters(), 24, 10)).as("round %d", round).isEqualTo(10);
    }
  }

  @Test
  void exactlyTheLimitIsAcceptedWhenRequestsRaceForTheLastPlacesOfAWindow() throws Exception {
    for (int round = 0; round < 5; round++) {
      clock.advance(Duration.ofMinutes(1));
      for (int i = 0; i < 7; i++) {
        assertThat(limiter.tryAcquire(KEY, 10)).isTrue();
      }
      assertThat(race(limiters(), 24, 10)).as("round %d", round).isEqualTo(3);
    }
  }

  @Test
  void limitersOnOneDatabaseCountTogether() {
    assumeTrue(counts != Counts.IN_MEMORY, "memory is one process's");
    RateLimiter other = another.get();
    assertThat(limiter.tryAcquire(KEY, 3)).isTrue();
    assertThat(other.tryAcquire(KEY, 3)).isTrue();
    assertThat(limiter.tryAcquire(KEY, 3)).isTrue();
    assertThat(other.tryAcquire(KEY, 3))
        .as("the fourth, though only the second of this limiter")
        .isFalse();
    assertThat(limiter.tryAcquire(KEY, 3)).isFalse();
  }

  @Test
  void aRefusedRequestDoesNotChangeTheCount() {
    assumeTrue(counts != Counts.IN_MEMORY, "the count in memory is not visible");
    for (int i = 0; i < 5; i++) {
      limiter.tryAcquire(KEY, 2);
    }
    assertThat(
            database.jdbc().count("SELECT hits FROM rate_limit_windows WHERE limit_key = ?", KEY))
        .isEqualTo(2);
  }

  @Test
  void endedWindowsAreForgottenButTheCurrentAndThePreviousAreKept() {
    assumeTrue(counts != Counts.IN_MEMORY, "memory expires windows on its own");
    for (int minute = 0; minute < 4; minute++) {
      limiter.tryAcquire(KEY, 1);
      limiter.tryAcquire("device-client:cli", 1);
      clock.advance(Duration.ofMinutes(1));
    }
    // Now in the fifth minute, with rows for the first four: the fourth is the previous window.
    limiter.tryAcquire(KEY, 1);
    limiter.forgetEndedWindows();
    assertThat(database.jdbc().count("SELECT COUNT(*) FROM rate_limit_windows")).isEqualTo(3);
    assertThat(limiter.tryAcquire(KEY, 1)).as("the current window is still full").isFalse();
  }

  /**
   * The limiters that share counts: two on one database (as two instances), or the one in memory.
   */
  private List<RateLimiter> limiters() {
    return counts == Counts.IN_MEMORY ? List.of(limiter) : List.of(limiter, another.get());
  }

  /**
   * {@code requests} threads, spread over {@code limiters}, each wait until all are ready and then
   * ask for {@link #KEY} at once; returns how many were accepted.
   */
  private static int race(List<RateLimiter> limiters, int requests, int limit) {
    try (StartingGate gate = new StartingGate(requests)) {
      List<Boolean> answers =
          gate.releaseEach(i -> limiters.get(i % limiters.size()).tryAcquire(KEY, limit));
      return (int) answers.stream().filter(accepted -> accepted).count();
    }
  }
}
