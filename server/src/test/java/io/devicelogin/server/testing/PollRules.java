package io.devicelogin.server.testing;

import static io.devicelogin.server.testing.OAuthCalls.assertPending;
import static io.devicelogin.server.testing.OAuthCalls.assertSlowDown;
import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.ManualClock;
import io.devicelogin.server.testing.OAuthCalls.DeviceCode;
import java.time.Duration;

/**
 * Rules of the poll clock (RFC 8628 §3.5) that hold alike on one server and across instances
 * sharing a database: each takes where the code is issued and first polled, and where the polls
 * that test the rule go.
 */
public final class PollRules {
  private PollRules() {}

  /**
   * A poll refused with {@code slow_down} does not move the clock the next poll is measured from: 9
   * s after the accepted poll is on time, though only 5 s after the refused one.
   */
  public static void aRefusedPollDoesNotMoveTheClock(
      OAuthCalls first, OAuthCalls second, ManualClock clock) {
    DeviceCode code = first.deviceCode();
    assertPending(first.poll(code)); // t = 0, accepted
    clock.advance(Duration.ofSeconds(4));
    assertSlowDown(second.poll(code), 10); // t = 4, refused: the interval is now 10 s
    clock.advance(Duration.ofSeconds(5));
    assertPending(first.poll(code)); // t = 9
  }

  /**
   * A poll sooner than 90 % of the interval gets {@code slow_down} and 5 s more, and the grown
   * interval holds for every later poll, wherever it comes: returns the code, its interval now 15 s
   * and its last accepted poll just now.
   */
  public static DeviceCode theGrownIntervalHoldsForLaterPolls(
      OAuthCalls first, OAuthCalls second, ManualClock clock) {
    DeviceCode code = first.deviceCode();
    assertThat(code.interval()).isEqualTo(5);
    assertPending(first.poll(code));
    clock.advance(Duration.ofSeconds(2));
    assertSlowDown(second.poll(code), 10);
    clock.advance(Duration.ofSeconds(6)); // 8 s after the accepted poll: 9 s are needed now
    assertSlowDown(first.poll(code), 15);
    clock.advance(Duration.ofMillis(5_500)); // 13.5 s after it: exactly 90 % of 15 s
    assertPending(second.poll(code));
    return code;
  }

  /** Polls every interval, alternating between {@code first} and {@code second}, all answered. */
  public static void pollsAtTheIntervalAreNeverThrottled(
      OAuthCalls first, OAuthCalls second, ManualClock clock) {
    DeviceCode code = second.deviceCode();
    for (int i = 0; i < 10; i++) {
      assertPending((i % 2 == 0 ? first : second).poll(code));
      clock.advance(Duration.ofSeconds(5));
    }
  }
}
