package io.devicelogin.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * What a command runs in: environment variables, the two output streams and whether they are
 * terminals, and the clock. Tests build their own; {@link #system()} is the real one.
 *
 * @param stdoutIsTerminal whether standard output is a terminal (a token is never written to one
 *     without {@code --reveal})
 */
public record Environment(
    Map<String, String> vars,
    PrintStream out,
    PrintStream err,
    Clock clock,
    boolean stdoutIsTerminal,
    boolean stderrIsTerminal) {

  public static Environment system() {
    // Java 17 reports a console only when both standard input and output are terminals: close
    // enough for "is a person looking at standard output", and it errs on the side of refusing.
    boolean interactive = System.console() != null;
    return new Environment(
        System.getenv(), System.out, System.err, Clock.systemUTC(), interactive, interactive);
  }

  public String var(String name) {
    String v = vars.get(name);
    return v == null || v.isEmpty() ? null : v;
  }
}
