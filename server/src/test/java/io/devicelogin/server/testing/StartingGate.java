package io.devicelogin.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Runs the same call on many threads released together, so that they reach the server as close to
 * the same instant as a test can make them: every thread is parked at the gate before any is let
 * through. One gate serves many trials; its threads live until {@link #close()}.
 */
public final class StartingGate implements AutoCloseable {
  /** How many trials a race test runs: the system property {@code devicelogin.trials}, or 1,000. */
  public static final int TRIALS = Integer.getInteger("devicelogin.trials", 1000);

  private final int runners;
  private final ExecutorService pool;

  public StartingGate(int runners) {
    this.runners = runners;
    this.pool = Executors.newFixedThreadPool(runners);
  }

  /** Runs {@code call} on every runner at once and returns the results in no particular order. */
  public <T> List<T> release(Supplier<T> call) {
    return releaseEach(runner -> call.get());
  }

  /**
   * Runs {@code call} on every runner at once, each given its number (0, 1, …) so that runners can
   * differ (for example, spread over several instances); returns the results in runner order.
   */
  public <T> List<T> releaseEach(IntFunction<T> call) {
    CountDownLatch ready = new CountDownLatch(runners);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> calls = new ArrayList<>(runners);
    for (int i = 0; i < runners; i++) {
      int runner = i;
      calls.add(
          pool.submit(
              () -> {
                ready.countDown();
                go.await();
                return call.apply(runner);
              }));
    }
    try {
      if (!ready.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the runners did not reach the gate within 30 s");
      }
      go.countDown();
      List<T> results = new ArrayList<>(runners);
      for (Future<T> f : calls) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("a runner failed", e);
    }
  }

  /**
   * Runs {@code trial} {@code count} times; each returns null if it kept every rule, else what went
   * wrong (or fails an assertion). Returns the failures, each named by its trial's number, so that
   * one broken trial does not hide the others.
   */
  public static List<String> trials(int count, Supplier<String> trial) {
    List<String> failures = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String failure;
      try {
        failure = trial.get();
      } catch (AssertionError e) {
        failure = e.getMessage();
      }
      if (failure != null) {
        failures.add("trial " + i + ": " + failure);
      }
    }
    return failures;
  }

  /**
   * Runs {@link #TRIALS} trials (see {@link #trials}) and asserts that every one kept its rules: a
   * race that a server loses once in a thousand tries is lost in production.
   */
  public static void assertEveryTrialKeepsTheRules(Supplier<String> trial) {
    List<String> failures = trials(TRIALS, trial);
    assertThat(failures).as("trials out of %d that broke the rule", TRIALS).isEmpty();
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
