package io.devicelogin.cli.terminal;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * A private tmux server (its own socket, no user configuration) that a test types into and reads.
 */
final class Tmux implements AutoCloseable {
  private final String socket;
  private final String session = "t";

  Tmux(String name) {
    this.socket = name + "-" + ProcessHandle.current().pid();
  }

  /** Skips the test where tmux is not installed; fails it in CI, where it must be. */
  static void requireOrSkip() {
    boolean available;
    try {
      available = run(List.of("tmux", "-V"), Duration.ofSeconds(10)).exit() == 0;
    } catch (IOException | InterruptedException e) {
      available = false;
    }
    if (!available) {
      if (System.getenv("CI") != null) {
        fail("tmux is required in CI (CI is set): install it, e.g. apt-get install tmux");
      }
      Assumptions.abort("tmux is not installed: skipping the terminal test (install it to run it)");
    }
  }

  /** Starts {@code script} under sh in a 120×60 window; the pane stays after it ends. */
  void start(String script) throws IOException, InterruptedException {
    // Several arguments: tmux runs them as they are, with no default-shell in between.
    tmux(
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "120",
        "-y",
        "60",
        "/bin/sh",
        "-c",
        script,
        ";",
        "set-option",
        "-w",
        "-t",
        session,
        "remain-on-exit",
        "on");
  }

  void keys(String keys) throws IOException, InterruptedException {
    tmux("send-keys", "-t", session, keys);
  }

  String capture() throws IOException, InterruptedException {
    return tmux("capture-pane", "-p", "-t", session);
  }

  /** Polls the screen until {@code condition} holds, up to {@code timeout}. */
  String waitFor(Predicate<String> condition, Duration timeout, String what)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String screen = "";
    while (System.nanoTime() < deadline) {
      screen = capture();
      if (condition.test(screen)) {
        return screen;
      }
      Thread.sleep(100); // the polling period of the wait, not a wait for something in particular
    }
    throw new AssertionError(
        "waited " + timeout.toSeconds() + " s for " + what + "; the screen:\n" + screen);
  }

  @Override
  public void close() throws IOException {
    String socketPath = null;
    try {
      socketPath = tmux("display-message", "-p", "#{socket_path}").trim();
      tmux("kill-server");
    } catch (IOException | InterruptedException | AssertionError e) {
      // Already gone.
    }
    if (socketPath != null && socketPath.endsWith(socket)) {
      // tmux 3.3 leaves the socket file of a killed server behind.
      Files.deleteIfExists(Path.of(socketPath));
    }
  }

  /**
   * A shell line that runs {@code mainClass} of the tests' class path in the pane, then prints its
   * exit status: tmux's own record of it ({@code #{pane_dead_status}}) sometimes never comes, when
   * tmux 3.3 misses the SIGCHLD. The trap keeps sh alive through Ctrl-C without making the JVM
   * ignore SIGINT, as {@code trap '' INT} would. The JVM runs without {@code NO_COLOR}, {@code
   * COLUMNS}, {@code LINES} and {@code CI}, with {@code envWords} (more {@code env} arguments,
   * quoted), and with logging off (a configuration written into {@code dir}): its debug lines would
   * go to the same terminal, and the screen is what is under test.
   */
  static String javaLine(Path dir, String envWords, String mainClass, String... args)
      throws IOException {
    Path logback = dir.resolve("logback.xml");
    Files.writeString(logback, "<configuration><root level=\"OFF\"/></configuration>\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return "trap 'true' INT; env -u NO_COLOR -u COLUMNS -u LINES -u CI "
        + envWords
        + quote(java)
        + " -Dlogback.configurationFile="
        + quote(logback.toString())
        + " -cp "
        + quote(classpath)
        + " "
        + mainClass
        + (args.length == 0 ? "" : " " + String.join(" ", args))
        + "; echo \"exit status $?\"";
  }

  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private String tmux(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("tmux", "-u", "-f", "/dev/null", "-L", socket));
    argv.addAll(List.of(args));
    Result result = run(argv, Duration.ofSeconds(20));
    if (result.exit() != 0) {
      throw new AssertionError(
          "tmux "
              + String.join(" ", args).replaceAll("-cp '[^']*'", "-cp …")
              + " exited with "
              + result.exit()
              + ": "
              + result.output());
    }
    return result.output();
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> argv, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().remove("TMUX");
    pb.environment().remove("NO_COLOR");
    pb.environment().put("LANG", "C.UTF-8");
    pb.environment().putIfAbsent("TERM", "xterm-256color");
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(argv.get(0) + " did not finish within " + timeout);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
