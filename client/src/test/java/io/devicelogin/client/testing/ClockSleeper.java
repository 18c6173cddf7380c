package io.devicelogin.client.testing;

import io.devicelogin.client.Cancellation;
import io.devicelogin.client.flow.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A sleeper that advances a {@link ManualClock} instead of waiting, and records every wait. A test
 * can make it cancel the login at the n-th sleep, as a Ctrl-C would.
 */
public final class ClockSleeper implements Sleeper {
  private final ManualClock clock;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private volatile int cancelAtSleep = -1;
  private volatile Cancellation toCancel;

  public ClockSleeper(ManualClock clock) {
    this.clock = clock;
  }

  /** Raises {@code cancellation} halfway through the {@code n}-th sleep (1-based). */
  public void cancelDuringSleep(int n, Cancellation cancellation) {
    this.cancelAtSleep = n;
    this.toCancel = cancellation;
  }

  @Override
  public void sleep(Duration duration, Cancellation cancellation) {
    cancellation.throwIfCancelled();
    sleeps.add(duration);
    if (sleeps.size() == cancelAtSleep) {
      clock.advance(duration.dividedBy(2));
      toCancel.cancel();
      cancellation.throwIfCancelled();
    }
    clock.advance(duration);
  }

  public List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }
}
