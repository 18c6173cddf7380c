package io.devicelogin.cli.terminal;

import io.devicelogin.cli.terminal.BrowserDecision.Command;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Opens a web page in the person's browser, or says why it did not. Never throws for a launch that
 * fails: a login goes on without a browser, so the caller gets a {@link Result} whose message it
 * can show.
 *
 * <p>What runs is {@link BrowserDecision}'s choice ({@code BROWSER}, SSH, WSL, the display, the
 * operating system). A command that is still running after a short grace period counts as opened
 * (some {@code xdg-open} set-ups wait for the browser to exit); one that ends within it must end
 * with status 0, unless its exit status is not to be trusted.
 */
public final class BrowserLauncher {
  /** How long a launch command may take before it counts as a browser that is running. */
  public static final Duration GRACE = Duration.ofMillis(1500);

  private final Platform platform;
  private final ProcessRunner runner;

  /** For tests: decides from {@code platform} and runs commands through {@code runner}. */
  public BrowserLauncher(Platform platform, ProcessRunner runner) {
    this.platform = Objects.requireNonNull(platform, "platform");
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  /** The launcher for this machine, this process's environment and real processes. */
  public static BrowserLauncher system() {
    return new BrowserLauncher(Platform.current(), ProcessRunner.system());
  }

  /**
   * The launcher for this machine and real processes, with {@code env} standing for the environment
   * (a command that takes its environment as a map passes it here).
   */
  public static BrowserLauncher system(Map<String, String> env) {
    return new BrowserLauncher(Platform.current(env), ProcessRunner.system());
  }

  /** Decides what would run for {@code url}, without running anything. */
  public BrowserDecision decide(URI url) {
    return BrowserDecision.decide(platform, url);
  }

  /**
   * Opens {@code url}: runs the commands {@link #decide} chose until one works.
   *
   * @return {@link Result.Status#OPENED}, or why not; never throws for a failed launch
   */
  public Result open(URI url) {
    BrowserDecision decision = decide(url);
    if (decision.commands().isEmpty()) {
      return new Result(Result.Status.SKIPPED, decision.skipReason().orElse("nothing to run"));
    }
    String lastFailure = "";
    for (Command command : decision.commands()) {
      String name = command.program();
      try {
        OptionalInt exit = runner.start(command.argv(), GRACE);
        if (exit.isEmpty() || exit.getAsInt() == 0 || !command.trustExitStatus()) {
          return new Result(Result.Status.OPENED, "opened with " + name);
        }
        lastFailure = name + " exited with status " + exit.getAsInt();
      } catch (IOException | RuntimeException e) {
        lastFailure = "could not run " + name;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Result(Result.Status.FAILED, "interrupted while starting " + name);
      }
    }
    return new Result(Result.Status.FAILED, lastFailure);
  }

  /**
   * How a launch went.
   *
   * @param status opened, not tried, or tried and failed
   * @param message for a person: which program opened it, why nothing was tried, or what failed
   */
  public record Result(Status status, String message) {
    public enum Status {
      OPENED,
      SKIPPED,
      FAILED
    }

    public Result {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(message, "message");
    }

    public boolean opened() {
      return status == Status.OPENED;
    }

    /** Why the page was not opened; empty when it was. */
    public Optional<String> hint() {
      return opened() ? Optional.empty() : Optional.of(message);
    }
  }

  /** Starts programs; tests record instead. */
  @FunctionalInterface
  public interface ProcessRunner {
    /**
     * Starts {@code argv} directly (no shell), with no input and its output discarded, and waits at
     * most {@code grace} for it to end.
     *
     * @return its exit status if it ended within {@code grace}, empty if it still runs (it is left
     *     running)
     * @throws IOException if it could not be started
     */
    OptionalInt start(List<String> argv, Duration grace) throws IOException, InterruptedException;

    /** Real processes. */
    static ProcessRunner system() {
      return (argv, grace) -> {
        Process process =
            new ProcessBuilder(argv)
                .redirectOutput(Redirect.DISCARD)
                .redirectError(Redirect.DISCARD)
                .start();
        // A browser must not read the terminal the login is drawn on: its standard input is empty.
        process.getOutputStream().close();
        if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          return OptionalInt.of(process.exitValue());
        }
        return OptionalInt.empty();
      };
    }
  }
}
