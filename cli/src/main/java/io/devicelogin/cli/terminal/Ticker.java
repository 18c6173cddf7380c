package io.devicelogin.cli.terminal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the countdown's tick once a second: on the scheduler the screen was given (tests give one
 * they drive), else on a daemon thread of its own, made on first use and ended by {@link
 * #shutdown}. Not thread-safe: the screen calls it under its lock.
 */
final class Ticker {
  private final ScheduledExecutorService given;
  private ScheduledExecutorService own;
  private ScheduledFuture<?> ticking;

  /** With {@code given} null, a thread of its own. */
  Ticker(ScheduledExecutorService given) {
    this.given = given;
  }

  /** Whether a tick is scheduled. */
  boolean running() {
    return ticking != null;
  }

  /** Runs {@code tick} a second from now, then every second. */
  void start(Runnable tick) {
    ScheduledExecutorService scheduler = given;
    if (scheduler == null) {
      if (own == null) {
        own =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "devicelogin-countdown");
                  t.setDaemon(true);
                  return t;
                });
      }
      scheduler = own;
    }
    ticking =
        scheduler.scheduleAtFixedRate(
            () -> {
              try {
                tick.run();
              } catch (RuntimeException e) {
                // A failed redraw must not end the countdown's thread with a stack trace on the
                // screen.
              }
            },
            1,
            1,
            TimeUnit.SECONDS);
  }

  /** No more ticks. */
  void stop() {
    if (ticking != null) {
      ticking.cancel(false);
      ticking = null;
    }
  }

  /** No more ticks, and the thread of its own ended; a scheduler it was given is left running. */
  void shutdown() {
    stop();
    if (own != null) {
      own.shutdownNow();
    }
  }
}
