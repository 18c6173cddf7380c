package io.devicelogin.bench.soak;

import io.devicelogin.bench.Section;
import io.devicelogin.bench.scenario.PageApprover;
import io.devicelogin.bench.target.DeviceLoginTarget;
import io.devicelogin.bench.target.DeviceLoginTarget.Database;
import io.devicelogin.server.DemoUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak: mixed traffic at a steady rate for a long stretch (30 minutes by default) while the
 * server is restarted twice (once politely, once killed) and, on PostgreSQL, the database is
 * stopped for 20 seconds. Each login is a {@link SoakFlow}; the {@link Ledger} counts what the
 * report shows. Not part of {@code mvn verify}: {@code bench/run --only soak}.
 */
public final class Soak {
  /**
   * What the soak does.
   *
   * @param length how long logins are started
   * @param loginsPerSecond how many logins start each second, steadily
   * @param databaseOutage how long PostgreSQL stays stopped
   */
  public record Plan(
      Duration length, double loginsPerSecond, Database database, Duration databaseOutage) {
    public static Plan of(int minutes, Database database) {
      return new Plan(Duration.ofMinutes(minutes), 2.0, database, Duration.ofSeconds(20));
    }

    /** A row of the report every minute, or more often in a short run. */
    Duration sampleEvery() {
      return length.toMinutes() >= 10 ? Duration.ofMinutes(1) : Duration.ofSeconds(15);
    }
  }

  /** The section's title, by which a later full run of the benchmarks keeps it. */
  public static final String TITLE = SoakReport.TITLE;

  private static final int APPROVERS = 4;
  private static final int WORKERS = 256;

  private Soak() {}

  /** Runs the soak against the jar's server under {@code work}; returns the report's section. */
  public static Section run(
      Path jar, Path work, Plan plan, List<String> jvmOptions, String commit) {
    Ledger ledger = new Ledger();
    double loadBefore = loadAverage();
    Instant startedAt = Instant.now();
    try (SoakServer server = new SoakServer(jar, work, plan.database(), jvmOptions)) {
      Duration firstStart = server.start();
      ledger.event("started (" + millis(firstStart) + ")");
      Calls calls = new Calls(server.base(), ledger);
      BlockingQueue<PageApprover> approvers = new ArrayBlockingQueue<>(APPROVERS);
      for (int i = 0; i < APPROVERS; i++) {
        approvers.add(
            new PageApprover(server.base(), DemoUser.USERNAME, DeviceLoginTarget.DEMO_PASSWORD));
      }
      ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
      ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
      long start = System.nanoTime();
      AtomicLong launched = new AtomicLong();
      long periodMicros = Math.round(1_000_000 / plan.loginsPerSecond());
      clock.scheduleAtFixedRate(
          () ->
              workers.execute(
                  new SoakFlow(calls, ledger, approvers, launched.incrementAndGet() % 2 == 0)),
          0,
          periodMicros,
          TimeUnit.MICROSECONDS);
      long sampleNanos = plan.sampleEvery().toNanos();
      clock.scheduleAtFixedRate(
          () -> {
            Ledger.Interval closed =
                ledger.next(Duration.ofNanos(System.nanoTime() - start).withNanos(0));
            closed.rssBytes = server.rssBytes();
          },
          sampleNanos,
          sampleNanos,
          TimeUnit.NANOSECONDS);

      long length = plan.length().toNanos();
      at(start, length / 3);
      Duration down = server.restart(true);
      ledger.event("restarted with SIGTERM: " + millis(down) + " without an answer");
      if (plan.database() == Database.POSTGRESQL) {
        at(start, length / 2);
        server.stopDatabase();
        ledger.event("PostgreSQL stopped");
        TimeUnit.NANOSECONDS.sleep(plan.databaseOutage().toNanos());
        server.startDatabase();
        ledger.event("PostgreSQL started again after " + plan.databaseOutage().toSeconds() + " s");
      }
      at(start, 2 * length / 3);
      down = server.restart(false);
      ledger.event("killed with SIGKILL and started: " + millis(down) + " without an answer");
      at(start, length);
      clock.shutdownNow();
      ledger.next(Duration.ofNanos(System.nanoTime() - start).withNanos(0)).rssBytes =
          server.rssBytes();
      ledger.event("no new logins; the ones under way finish");
      workers.shutdown();
      boolean drained = workers.awaitTermination(10, TimeUnit.MINUTES);
      Ledger.Interval last = ledger.next(Duration.ofNanos(System.nanoTime() - start));
      last.rssBytes = server.rssBytes();
      if (!drained) {
        workers.shutdownNow();
        ledger.event("logins still under way after 10 minutes were stopped");
      }
      return SoakReport.section(
          plan,
          commit,
          ledger,
          launched.get(),
          startedAt,
          loadBefore,
          loadAverage(),
          server.errorLines(),
          jvmOptions);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Waits until {@code offsetNanos} after {@code start}. */
  private static void at(long start, long offsetNanos) throws InterruptedException {
    long wait = start + offsetNanos - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  private static String millis(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
