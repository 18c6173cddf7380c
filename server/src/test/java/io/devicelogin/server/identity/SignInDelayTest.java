package io.devicelogin.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.server.config.Defaults;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An account's sign-in waits after failures: a wait that doubles, and never beyond a ceiling. */
class SignInDelayTest {
  private final SignInDelay delay = SignInDelay.ofDefaults(null, Clock.systemUTC());

  @Test
  void theWaitStartsAtOneSecondAfterFiveFailuresDoublesWithEachMoreAndStopsAtFiveMinutes() {
    assertThat(Defaults.ACCOUNT_FAILURES_BEFORE_DELAY).isEqualTo(5);
    assertThat(delay.delayAfter(5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(delay.delayAfter(6)).isEqualTo(Duration.ofSeconds(2));
    assertThat(delay.delayAfter(9)).isEqualTo(Duration.ofSeconds(16));
    assertThat(delay.delayAfter(13)).isEqualTo(Duration.ofSeconds(256));
    assertThat(delay.delayAfter(14)).isEqualTo(Duration.ofMinutes(5));
    assertThat(delay.delayAfter(10_000)).isEqualTo(Duration.ofMinutes(5));
  }
}
