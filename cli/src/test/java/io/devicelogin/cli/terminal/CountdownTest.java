package io.devicelogin.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The countdown's state, told the time: what it shows in place, and which plain lines come. */
class CountdownTest {
  private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant EXPIRES = ISSUED.plus(Duration.ofMinutes(10));

  private final Countdown countdown = new Countdown(EXPIRES, ISSUED);

  private static Instant at(long seconds) {
    return ISSUED.plusSeconds(seconds);
  }

  @Test
  void inPlaceItCountsDownToTheCodesExpiryWithTheSpinnerOneFrameOnEachTime() {
    assertThat(countdown.line(at(0)))
        .isEqualTo("⠋ Waiting for approval · code expires in 10:00 · Ctrl-C to cancel");
    assertThat(countdown.line(at(1)))
        .isEqualTo("⠙ Waiting for approval · code expires in 9:59 · Ctrl-C to cancel");
    assertThat(countdown.line(at(600))).isEqualTo("✗ The code has expired.");
  }

  @Test
  void aTimeLimitBeforeTheExpiryIsTheDeadline() {
    countdown.timeLeft(Duration.ofSeconds(60), at(0));

    assertThat(countdown.givesUpFirst()).isTrue();
    assertThat(countdown.left(at(1))).isEqualTo(Duration.ofSeconds(59));
    assertThat(countdown.line(at(1))).contains("giving up in 0:59");
    assertThat(countdown.line(at(60))).isEqualTo("✗ Stopped waiting: the time limit is up.");
  }

  @Test
  void aTimeLimitAfterTheExpiryOrNoneAtAllLeavesTheExpiry() {
    countdown.timeLeft(Duration.ofMinutes(30), at(0));
    assertThat(countdown.givesUpFirst()).isFalse();
    countdown.timeLeft(Duration.ofSeconds(-1), at(0));
    assertThat(countdown.left(at(0))).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void asPlainLinesALineComesOnceAMinuteFewerIsLeftAndOnceWhenTimeIsUp() {
    assertThat(countdown.tick(at(30))).isEmpty();
    assertThat(countdown.tick(at(61)))
        .contains("Still waiting for approval; code expires in 9 min.");
    assertThat(countdown.tick(at(62))).isEmpty();
    assertThat(countdown.tick(at(570)))
        .contains("Still waiting for approval; code expires in 30 s.");
    assertThat(countdown.tick(at(600))).contains("The code has expired.");
    assertThat(countdown.tick(at(601))).isEmpty();
  }

  @Test
  void troubleIsALineEachTimeItChangesAndTheEndOfItIsOneToo() {
    Duration backoff = Duration.ofMillis(2100);

    assertThat(countdown.trouble("cannot reach the server, retrying", backoff))
        .contains("Cannot reach the server, retrying in 2 s.");
    assertThat(countdown.trouble("cannot reach the server, retrying", backoff)).isEmpty();
    assertThat(countdown.line(at(1))).contains(" · cannot reach the server, retrying · ");
    assertThat(countdown.trouble(null, null))
        .contains("The server answers again; still waiting for approval.");
    assertThat(countdown.trouble(null, null)).isEmpty();
    assertThat(countdown.line(at(2))).doesNotContain("retrying");
  }
}
