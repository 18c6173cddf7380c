package io.devicelogin.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets, every 30 seconds, what has ended: expired device codes and browser sessions, rate limit
 * windows that have passed. A failed sweep is logged and the next one tries again.
 */
final class Sweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sweeper.class);
  private static final Duration EVERY = Duration.ofSeconds(30);

  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "devicelogin-sweeper");
            t.setDaemon(true);
            return t;
          });

  /** Runs {@code sweeps} in this order, every 30 seconds, from 30 seconds from now. */
  Sweeper(Runnable... sweeps) {
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            for (Runnable sweep : sweeps) {
              sweep.run();
            }
          } catch (RuntimeException e) {
            log.warn(
                "sweeping expired codes, sessions or rate limit windows failed: {}",
                e.getMessage());
          }
        },
        EVERY.toSeconds(),
        EVERY.toSeconds(),
        TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
