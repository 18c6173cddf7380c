package io.devicelogin.client.flow;

import io.devicelogin.client.Cancellation;
import io.devicelogin.client.LoginCancelledException;
import java.time.Duration;

/**
 * Waits. The polling engine's only source of delay, so that tests can replace it with one that
 * advances a controlled clock instead.
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Waits for {@code duration}, or less if {@code cancellation} is raised.
   *
   * @throws LoginCancelledException if the signal is raised before or during the wait, or the
   *     thread is interrupted
   */
  void sleep(Duration duration, Cancellation cancellation);

  /** Waits in real time, waking at once on cancellation. */
  static Sleeper system() {
    return (duration, cancellation) -> {
      cancellation.throwIfCancelled();
      try {
        if (cancellation.await(duration)) {
          throw new LoginCancelledException();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LoginCancelledException();
      }
    };
  }
}
