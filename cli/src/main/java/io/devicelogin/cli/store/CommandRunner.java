package io.devicelogin.cli.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs one helper command of an OS secret store with its input on stdin and a hard time limit. An
 * interface so that tests can check the exact command lines and inputs of the macOS and Windows
 * back-ends, which cannot run here.
 */
interface CommandRunner {

  /**
   * Runs {@code command} (an absolute executable and its arguments, never a secret) with exactly
   * {@code environment}, writes {@code stdin} and closes it, and waits at most {@code timeout}.
   *
   * @throws TimedOut if the command did not finish in time (it has been killed)
   * @throws IOException if the command could not be started
   */
  Result run(List<String> command, byte[] stdin, Map<String, String> environment, Duration timeout)
      throws IOException;

  /** What a command left: its exit code, its output (may hold a secret) and its error text. */
  record Result(int exitCode, byte[] stdout, String stderr) {

    /** The output as UTF-8 text (for outputs that hold no secret, or that are parsed at once). */
    String stdoutText() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    /** The first line of the error text, without the tool's own name, at most 300 characters. */
    String reason() {
      String text = stderr.strip();
      int nl = text.indexOf('\n');
      String line = (nl < 0 ? text : text.substring(0, nl)).strip();
      int colon = line.indexOf(": ");
      if (colon > 0 && colon < 20 && !line.substring(0, colon).contains(" ")) {
        line = line.substring(colon + 2); // "secret-tool: …", "security: …"
      }
      if (line.isEmpty()) {
        line = "exit code " + exitCode;
      }
      return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    @Override
    public String toString() {
      return "Result[exitCode=" + exitCode + ", stdout=" + stdout.length + " bytes]";
    }
  }

  /** The command was killed after its time limit. */
  final class TimedOut extends IOException {
    private static final long serialVersionUID = 1L;

    TimedOut(String message) {
      super(message);
    }
  }
}
