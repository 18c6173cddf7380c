package io.devicelogin.cli.terminal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A private tmux server (its own socket, no user configuration) that a test types into and reads.
 */
final class Tmux implements AutoCloseable {
  private final String socket;
  private final String session = "t";

  Tmux(String name) {
    this.socket = name + "-" + ProcessHandle.current().pid();
  }

  static boolean available() {
    try {
      return run(List.of("tmux", "-V"), Duration.ofSeconds(10)).exit() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Starts {@code script} under sh in a 120×60 window; the pane stays after it ends. */
  void start(String script) throws IOException, InterruptedException {
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
      Files.deleteIfExists(Path.of(socketPath));
    }
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
          "tmux " + args[0] + " exited with " + result.exit() + ": " + result.output());
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
