package io.devicelogin.server;

import java.time.Duration;
import java.util.Timer;
import java.util.TimerTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets, every 30 seconds, what has ended: expired device codes and browser sessions, rate limit
 * windows that have passed. A failed sweep is logged and the next one tries again.
 */
final class Sweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sweeper.class);
  private static final Duration EVERY = Duration.ofSeconds(30);

  private final Timer timer = new Timer("devicelogin-sweeper", true);

  /** Runs {@code sweeps} in this order, every 30 seconds, from 30 seconds from now. */
  Sweeper(Runnable... sweeps) {
    timer.schedule(
        new TimerTask() {
          @Override
          public void run() {
            try {
              for (Runnable sweep : sweeps) {
                sweep.run();
              }
            } catch (RuntimeException e) {
              log.warn(
                  "sweeping expired codes, sessions or rate limit windows failed: {}",
                  e.getMessage());
            }
          }
        },
        EVERY.toMillis(),
        EVERY.toMillis());
  }

  @Override
  public void close() {
    timer.cancel();
  }
}
