package io.devicelogin.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A signal that stops a login from another thread, for example a Ctrl-C handler. After {@link
 * #cancel()} returns, the login sends no further request: a wait in progress ends at once and a
 * request in flight is abandoned.
 */
public final class Cancellation {
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private final List<Runnable> onCancel = new ArrayList<>();

  /** A signal that is never raised. */
  public static Cancellation none() {
    return new Cancellation();
  }

  /** Raises the signal. Safe to call from any thread, any number of times. */
  public void cancel() {
    List<Runnable> actions;
    synchronized (onCancel) {
      if (cancelled.getCount() == 0) {
        return;
      }
      cancelled.countDown();
      actions = new ArrayList<>(onCancel);
      onCancel.clear();
    }
    actions.forEach(Runnable::run);
  }

  public boolean isCancelled() {
    return cancelled.getCount() == 0;
  }

  /** Throws {@link LoginCancelledException} if the signal is raised. */
  public void throwIfCancelled() {
    if (isCancelled()) {
      throw new LoginCancelledException();
    }
  }

  /**
   * Waits for the signal up to {@code timeout}, in real time.
   *
   * @return true if the signal was raised
   */
  public boolean await(Duration timeout) throws InterruptedException {
    return cancelled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Runs {@code action} when the signal is raised (at once if it already is). The returned handle
   * removes the action again.
   */
  public AutoCloseable onCancel(Runnable action) {
    synchronized (onCancel) {
      if (!isCancelled()) {
        onCancel.add(action);
        return () -> {
          synchronized (onCancel) {
            onCancel.remove(action);
          }
        };
      }
    }
    action.run();
    return () -> {};
  }
}
