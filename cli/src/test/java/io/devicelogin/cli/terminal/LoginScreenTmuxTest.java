package io.devicelogin.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The login screen as a person sees it: {@link TerminalDemoMain} runs in a real pseudo-terminal
 * that tmux draws (120 x 60), and the test reads the screen with {@code capture-pane}. Every wait
 * polls the screen until what it waits for appears, up to a deadline. The tmux server is a private
 * one (its own socket, no configuration file) and is killed at the end.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoginScreenTmuxTest {
  private static final Pattern COUNTDOWN = Pattern.compile("code expires in (\\d+:\\d\\d)");

  /** Where the screen is saved for people to look at. */
  static final Path CAPTURE = Path.of("target", "tmux-login-capture.txt");

  private final String socket = "devicelogin-test-" + ProcessHandle.current().pid();
  private final String session = "login";
  private Path logbackConfig;

  @BeforeEach
  void needsTmux() throws Exception {
    boolean present;
    try {
      present = run(List.of("tmux", "-V"), Duration.ofSeconds(10)).exit == 0;
    } catch (IOException e) {
      present = false;
    }
    if (!present) {
      if (System.getenv("CI") != null) {
        fail("tmux is required in CI (CI is set): install it, e.g. apt-get install tmux");
      }
      Assumptions.abort(
          "tmux is not installed: skipping the terminal test (install tmux to run it)");
    }
  }

  @AfterEach
  void killOurTmuxServer() throws Exception {
    String socketPath = null;
    try {
      socketPath = tmux("display-message", "-p", "#{socket_path}").trim();
      tmux("kill-server");
    } catch (IOException | AssertionError e) {
      // Already gone.
    }
    if (socketPath != null && socketPath.endsWith(socket)) {
      // tmux 3.3 leaves the socket file of a killed server behind.
      Files.deleteIfExists(Path.of(socketPath));
    }
    if (logbackConfig != null) {
      Files.deleteIfExists(logbackConfig);
    }
  }

  @Test
  void promptQrCodeCountdownAndCtrlCAsAPersonSeesThem() throws Exception {
    logbackConfig = Files.createTempFile("devicelogin-tmux-logback", ".xml");
    // The client's debug logging would go to the same terminal; the screen is what is under test.
    Files.writeString(logbackConfig, "<configuration><root level=\"OFF\"/></configuration>\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    // sh waits for the JVM and prints its exit status in the pane: tmux's own record of it
    // (#{pane_dead_status}) sometimes never comes, when tmux 3.3 misses the SIGCHLD. The trap keeps
    // sh alive through Ctrl-C without making the JVM ignore SIGINT, as trap '' INT would.
    String script =
        "trap 'true' INT; env -u NO_COLOR -u COLUMNS -u LINES -u CI "
            + shellQuote(java)
            + " -Dlogback.configurationFile="
            + shellQuote(logbackConfig.toString())
            + " -cp "
            + shellQuote(classpath)
            + " "
            + TerminalDemoMain.class.getName()
            + "; echo \"exit status $?\"";
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

    // The prompt, the QR code and a running countdown.
    String first =
        waitFor(
            screen -> COUNTDOWN.matcher(screen).find(), Duration.ofSeconds(60), "the countdown");
    assertThat(first)
        .contains("  Open  " + TerminalDemoMain.VERIFICATION_URI)
        .contains("  Code  " + TerminalDemoMain.USER_CODE)
        .contains("  " + TerminalDemoMain.COMPLETE_URI)
        .contains(
            "Opened the page in your browser. Check that it shows the code "
                + TerminalDemoMain.USER_CODE);
    assertThat(first.replaceAll("\\s+", " ")).contains("! " + LoginScreen.PHISHING_WARNING);
    List<String> qr = QrCode.render(TerminalDemoMain.COMPLETE_URI);
    String qrBlock = "  " + String.join("\n  ", qr) + "\n";
    assertThat(first).as("the QR code, whole and in one block").contains(qrBlock);
    assertThat(first.indexOf(qrBlock)).isLessThan(first.indexOf("  Open  "));
    String firstTime = countdown(first);

    String second =
        waitFor(
            screen -> COUNTDOWN.matcher(screen).find() && !countdown(screen).equals(firstTime),
            Duration.ofSeconds(10),
            "the countdown to change");
    assertThat(countdown(second)).isNotEqualTo(firstTime);
    assertThat(COUNTDOWN.matcher(second).results().count())
        .as("the countdown is redrawn in place, not printed again")
        .isEqualTo(1);
    // It stays on the last line written: nothing under it but empty lines.
    List<String> lines = second.lines().toList();
    int at = lastIndexMatching(lines, COUNTDOWN.asPredicate());
    assertThat(lines.subList(at + 1, lines.size())).allSatisfy(l -> assertThat(l).isBlank());

    String slowed =
        waitFor(
            screen -> screen.contains("checking every"),
            Duration.ofSeconds(30),
            "the slow_down notice");
    assertThat(slowed).contains("The server asked to slow down: checking every 7 s now.");
    assertThat(COUNTDOWN.matcher(slowed).results().count()).isEqualTo(1);
    Files.createDirectories(CAPTURE.getParent());
    Files.writeString(CAPTURE, slowed, StandardCharsets.UTF_8);

    // Ctrl-C: the login is cancelled, the countdown line erased, and the process ends cleanly.
    tmux("send-keys", "-t", session, "C-c");
    String last =
        waitFor(
            screen -> screen.contains("exit status"),
            Duration.ofSeconds(30),
            "the process to exit");
    Files.writeString(
        CAPTURE.resolveSibling("tmux-login-capture-after-ctrl-c.txt"),
        last,
        StandardCharsets.UTF_8);
    assertThat(last)
        .as("the JVM's status after SIGINT, every shutdown hook done")
        .contains("exit status 130");
    assertThat(last).contains("  Cancelled. Nothing was stored.");
    assertThat(last).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(COUNTDOWN.matcher(last).find()).as("the countdown line is erased").isFalse();
  }

  // ------------------------------------------------------------------ tmux

  private String waitFor(Predicate<String> condition, Duration timeout, String what)
      throws Exception {
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

  private String capture() throws Exception {
    return tmux("capture-pane", "-p", "-t", session);
  }

  private String tmux(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("tmux", "-u", "-f", "/dev/null", "-L", socket));
    argv.addAll(List.of(args));
    Result result = run(argv, Duration.ofSeconds(20));
    if (result.exit != 0) {
      throw new AssertionError(
          "tmux "
              + String.join(" ", args).replaceAll("-cp '[^']*'", "-cp …")
              + " exited with "
              + result.exit
              + ": "
              + result.output);
    }
    return result.output;
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> argv, Duration timeout) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.remove("TMUX");
    env.remove("NO_COLOR");
    env.put("LANG", "C.UTF-8");
    env.putIfAbsent("TERM", "xterm-256color");
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(argv.get(0) + " did not finish within " + timeout);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static String countdown(String screen) {
    Matcher m = COUNTDOWN.matcher(screen);
    return m.find() ? m.group(1) : "";
  }

  private static int lastIndexMatching(List<String> lines, Predicate<String> p) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (p.test(lines.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
