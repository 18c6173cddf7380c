package io.devicelogin.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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

  private final Tmux tmux = new Tmux("devicelogin-test");
  @TempDir Path dir;

  @BeforeEach
  void needsTmux() {
    Tmux.requireOrSkip();
  }

  @AfterEach
  void killOurTmuxServer() throws Exception {
    tmux.close();
  }

  @Test
  void promptQrCodeCountdownAndCtrlCAsAPersonSeesThem() throws Exception {
    tmux.start(Tmux.javaLine(dir, "", TerminalDemoMain.class.getName()));

    // The prompt, the QR code and a running countdown.
    String first =
        tmux.waitFor(
            screen -> COUNTDOWN.matcher(screen).find(), Duration.ofSeconds(60), "the countdown");
    assertThat(first)
        .contains("  Open  " + TerminalDemoMain.VERIFICATION_URI)
        .contains("  Code  " + TerminalDemoMain.USER_CODE)
        .contains("  " + TerminalDemoMain.COMPLETE_URI)
        .contains(
            "Opened the page in your browser. Check that it shows the code "
                + TerminalDemoMain.USER_CODE);
    assertThat(first.replaceAll("\\s+", " ")).contains("! " + LoginScreen.PHISHING_WARNING);
    List<String> qr = QrBlocks.render(TerminalDemoMain.COMPLETE_URI);
    String qrBlock = "  " + String.join("\n  ", qr) + "\n";
    assertThat(first).as("the QR code, whole and in one block").contains(qrBlock);
    assertThat(first.indexOf(qrBlock)).isLessThan(first.indexOf("  Open  "));
    String firstTime = countdown(first);

    String second =
        tmux.waitFor(
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
        tmux.waitFor(
            // The notice is written above the countdown, which is erased and drawn again under
            // it: a capture can fall between the two writes.
            screen -> screen.contains("checking every") && COUNTDOWN.matcher(screen).find(),
            Duration.ofSeconds(30),
            "the slow_down notice above the countdown");
    assertThat(slowed).contains("The server asked to slow down: checking every 7 s now.");
    assertThat(COUNTDOWN.matcher(slowed).results().count()).isEqualTo(1);
    Files.createDirectories(CAPTURE.getParent());
    Files.writeString(CAPTURE, slowed, StandardCharsets.UTF_8);

    // Ctrl-C: the login is cancelled, the countdown line erased, and the process ends cleanly.
    tmux.keys("C-c");
    String last =
        tmux.waitFor(
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
}
