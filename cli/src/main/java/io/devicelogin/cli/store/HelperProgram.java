package io.devicelogin.cli.store;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How each keyring back-end runs the helper program of its OS store ({@code secret-tool}, {@code
 * security}, Windows PowerShell): with the user's environment, its input on stdin and a time limit.
 * A time-out, or a program that cannot be started, is a {@link StoreUnavailableException} that
 * names the store and says what to do instead.
 */
final class HelperProgram {
  /** The way around a keyring that does not work, at the end of every message that says so. */
  static final String USE_MEMORY = "; `--store memory` keeps tokens in the in-memory agent instead";

  private final CommandRunner runner;
  private final Map<String, String> environment;
  private final Duration timeout;
  private final String store;
  private final String whyItMayHang;

  /**
   * @param store the store as a message names it, such as {@code the Secret Service}
   * @param whyItMayHang said after a time-out, such as {@code " (is it waiting for a password
   *     prompt?)"}, or empty
   */
  HelperProgram(
      CommandRunner runner,
      Map<String, String> environment,
      Duration timeout,
      String store,
      String whyItMayHang) {
    this.runner = runner;
    this.environment = Map.copyOf(environment);
    this.timeout = timeout;
    this.store = store;
    this.whyItMayHang = whyItMayHang;
  }

  /** The environment the helper runs with, the whole of it. */
  Map<String, String> environment() {
    return environment;
  }

  /**
   * Runs {@code command} with {@code stdin}, to {@code action} (as a message says it: "store the
   * tokens").
   *
   * @param program how a message names the program when it cannot be started
   * @throws StoreUnavailableException on a time-out, or when the program cannot be started
   */
  CommandRunner.Result run(List<String> command, byte[] stdin, String action, String program) {
    try {
      return runner.run(command, stdin, environment, timeout);
    } catch (CommandRunner.TimedOut e) {
      throw new StoreUnavailableException(
          store
              + " did not answer within "
              + timeout.toSeconds()
              + " s when asked to "
              + action
              + whyItMayHang
              + USE_MEMORY);
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "cannot run " + program + ": " + e.getMessage() + USE_MEMORY, e);
    }
  }
}
