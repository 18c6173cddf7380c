package io.devicelogin.server.startup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Two steps of the start on a thread of their own, one after the other, while the caller starts the
 * HTTP server: for the server, reading the configuration and then opening the storage (the
 * database, its migrations, the signing keys).
 *
 * <p>Those and the HTTP server (Javalin, Jetty) need nothing of each other until the services are
 * made, and each costs a good part of a second, most of it loading classes; side by side they take
 * as long as the longer of them. What can go wrong is still said in the same order: the
 * configuration is read before the storage is touched, so a configuration that cannot be read fails
 * both steps and leaves no data directory behind, and a storage failure is reported before one of
 * the HTTP server (a database that cannot be opened before a port that is taken).
 *
 * <p>It saves wall time, not work: {@code bench/run --only startup} (the "Server start-up" table of
 * {@code bench/RESULTS.md}) gives the time to the first {@code 200} beside the CPU time used, which
 * the overlap leaves as it was.
 *
 * @param <A> what the first step makes
 * @param <B> what the second step makes
 */
public final class BackgroundStart<A, B> {
  private final CompletableFuture<A> first = new CompletableFuture<>();
  private final CompletableFuture<B> second = new CompletableFuture<>();

  private BackgroundStart() {}

  /** Starts {@code first} then, if it succeeded, {@code second}, on a daemon thread. */
  public static <A, B> BackgroundStart<A, B> begin(Supplier<A> first, Supplier<B> second) {
    BackgroundStart<A, B> start = new BackgroundStart<>();
    Thread thread = new Thread(() -> start.run(first, second), "devicelogin-start");
    thread.setDaemon(true);
    thread.start();
    return start;
  }

  private void run(Supplier<A> firstStep, Supplier<B> secondStep) {
    try {
      first.complete(firstStep.get());
    } catch (Throwable e) {
      first.completeExceptionally(e);
      second.completeExceptionally(e);
      return;
    }
    try {
      second.complete(secondStep.get());
    } catch (Throwable e) {
      second.completeExceptionally(e);
    }
  }

  /** What the first step made, once it has; its failure is thrown as it was. */
  public A first() {
    return await(first);
  }

  /** What the second step made, once it has; its failure, or the first step's, as it was. */
  public B second() {
    return await(second);
  }

  /**
   * After the caller's side failed with {@code failure}: waits for the second step and undoes it
   * with {@code close}.
   *
   * @return what to report: the background's own failure when it had one (it comes first in the
   *     order of the start), else {@code failure}
   */
  public RuntimeException abandon(RuntimeException failure, Consumer<B> close) {
    try {
      close.accept(second());
      return failure;
    } catch (RuntimeException backgroundFailure) {
      return backgroundFailure;
    }
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
