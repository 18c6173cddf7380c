package io.devicelogin.cli.terminal;

import io.devicelogin.client.Cancellation;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C ends a login cleanly: SIGINT (or any other request to exit) cancels it through a shutdown
 * hook, which then waits, up to a bound, until {@link #close()} says the command has erased its
 * countdown and said that it was cancelled: the JVM halts as soon as its hooks return.
 *
 * <pre>{@code
 * CancelOnExit ctrlC = CancelOnExit.install(Duration.ofSeconds(3));
 * try {
 *   login.login(ctrlC.cancellation());
 * } catch (LoginCancelledException e) {
 *   ... // say so
 * } finally {
 *   ctrlC.close(); // only now may the JVM halt
 * }
 * }</pre>
 */
public final class CancelOnExit implements AutoCloseable {
  private final Cancellation cancellation = new Cancellation();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  private CancelOnExit(Duration wait) {
    this.hook =
        new Thread(
            () -> {
              cancellation.cancel();
              try {
                finished.await(wait.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "devicelogin-cancel");
  }

  /** Installs the hook; at exit it waits at most {@code wait} for {@link #close()}. */
  public static CancelOnExit install(Duration wait) {
    CancelOnExit ctrlC = new CancelOnExit(wait);
    Runtime.getRuntime().addShutdownHook(ctrlC.hook);
    return ctrlC;
  }

  /** What the login is given: cancelled by Ctrl-C. */
  public Cancellation cancellation() {
    return cancellation;
  }

  /** The command is done: an exit need not wait any longer, and there is no more hook. */
  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // Ctrl-C: the hook is running and waited for us.
    }
  }
}
