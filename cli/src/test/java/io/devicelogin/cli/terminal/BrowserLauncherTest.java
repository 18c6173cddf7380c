package io.devicelogin.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.cli.terminal.BrowserLauncher.ProcessRunner;
import io.devicelogin.cli.terminal.BrowserLauncher.Result;
import io.devicelogin.cli.terminal.Platform.Os;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Every OS and environment case of the launcher, with processes recorded instead of run. */
class BrowserLauncherTest {
  private static final URI URL = URI.create("https://login.example.com/device?user_code=WDJBMJHT");
  private static final String LINK = URL.toString();
  private static final String WSL_PROC_VERSION =
      "Linux version 5.15.167.4-microsoft-standard-WSL2 (root@f9c826d3017f) (gcc (GCC) 11.2.0) #1 SMP";

  /** Records every argv; answers from a script (an exit status, "running", or an I/O failure). */
  static final class Recorder implements ProcessRunner {
    final List<List<String>> started = new ArrayList<>();
    final Deque<Object> answers = new ArrayDeque<>();

    Recorder answer(Object... next) {
      answers.addAll(List.of(next));
      return this;
    }

    @Override
    public OptionalInt start(List<String> argv, Duration grace) throws IOException {
      started.add(List.copyOf(argv));
      Object next = answers.isEmpty() ? 0 : answers.poll();
      if (next instanceof IOException) {
        throw (IOException) next;
      }
      if (next instanceof RuntimeException) {
        throw (RuntimeException) next;
      }
      if ("running".equals(next)) {
        return OptionalInt.empty();
      }
      return OptionalInt.of((Integer) next);
    }
  }

  private final Recorder runner = new Recorder();

  private BrowserLauncher on(Os os, Map<String, String> env, String... programs) {
    return new BrowserLauncher(Platform.of(os, env, "", Set.of(programs)), runner);
  }

  private BrowserLauncher onLinux(Map<String, String> env, String procVersion, String... programs) {
    return new BrowserLauncher(Platform.of(Os.LINUX, env, procVersion, Set.of(programs)), runner);
  }

  // ------------------------------------------------------------------ Linux and other Unix

  @Test
  void linuxWithX11UsesXdgOpenUnderSetsid() {
    assertThat(on(Os.LINUX, Map.of("DISPLAY", ":0"), "setsid").decide(URL).argvs())
        .containsExactly(List.of("setsid", "xdg-open", LINK));
  }

  @Test
  void linuxWithWaylandOnlyAndNoSetsidUsesPlainXdgOpen() {
    assertThat(on(Os.LINUX, Map.of("WAYLAND_DISPLAY", "wayland-0")).decide(URL).argvs())
        .containsExactly(List.of("xdg-open", LINK));
  }

  @Test
  void linuxWithoutADisplayOpensNothing() {
    BrowserLauncher launcher = on(Os.LINUX, Map.of("DISPLAY", ""), "setsid");
    assertThat(launcher.decide(URL).commands()).isEmpty();
    Result result = launcher.open(URL);
    assertThat(result.status()).isEqualTo(Result.Status.SKIPPED);
    assertThat(result.hint()).get().asString().contains("no display");
    assertThat(runner.started).isEmpty();
  }

  @Test
  void otherUnixBehavesLikeLinux() {
    assertThat(on(Os.OTHER_UNIX, Map.of("DISPLAY", ":0")).decide(URL).argvs())
        .containsExactly(List.of("xdg-open", LINK));
    assertThat(on(Os.OTHER_UNIX, Map.of()).decide(URL).commands()).isEmpty();
    assertThat(Os.fromName("FreeBSD")).isEqualTo(Os.OTHER_UNIX);
    assertThat(Os.fromName("Linux")).isEqualTo(Os.LINUX);
    assertThat(Os.fromName("Mac OS X")).isEqualTo(Os.MAC);
    assertThat(Os.fromName("Windows 11")).isEqualTo(Os.WINDOWS);
  }

  // ------------------------------------------------------------------ SSH

  @Test
  void overSshNothingIsOpenedEvenWithAForwardedDisplay() {
    for (Map<String, String> env :
        List.of(
            Map.of("SSH_CONNECTION", "10.0.0.2 51234 10.0.0.1 22", "DISPLAY", "localhost:10.0"),
            Map.of("SSH_TTY", "/dev/pts/3", "DISPLAY", ":0"))) {
      for (Os os : Os.values()) {
        Result result = on(os, env, "setsid").open(URL);
        assertThat(result.status()).as("%s %s", os, env).isEqualTo(Result.Status.SKIPPED);
        assertThat(result.message()).contains("SSH");
      }
    }
    assertThat(runner.started).isEmpty();
  }

  // ------------------------------------------------------------------ macOS, Windows

  @Test
  void macUsesOpenAndNeedsNoDisplayVariable() {
    assertThat(on(Os.MAC, Map.of(), "setsid").decide(URL).argvs())
        .containsExactly(List.of("open", LINK));
  }

  @Test
  void windowsUsesRundll32WithTheUrlAsItsOwnArgument() {
    assertThat(on(Os.WINDOWS, Map.of()).decide(URL).argvs())
        .containsExactly(List.of("rundll32", "url.dll,FileProtocolHandler", LINK));
  }

  // ------------------------------------------------------------------ WSL

  @Test
  void wslFromItsVariableUsesWslviewThenExplorer() {
    BrowserLauncher launcher =
        onLinux(Map.of("WSL_DISTRO_NAME", "Ubuntu"), "", "wslview", "setsid");
    assertThat(launcher.decide(URL).argvs())
        .containsExactly(
            List.of("setsid", "wslview", LINK), List.of("setsid", "explorer.exe", LINK));
  }

  @Test
  void wslFromProcVersionWithoutWslviewUsesExplorerWhoseExitStatusIsNotTrusted() {
    BrowserLauncher launcher = onLinux(Map.of(), WSL_PROC_VERSION);
    assertThat(launcher.decide(URL).argvs()).containsExactly(List.of("explorer.exe", LINK));
    runner.answer(1); // explorer.exe says 1 even when it opened the page
    assertThat(launcher.open(URL).opened()).isTrue();
  }

  @Test
  void wslNeedsNoDisplayButStillRespectsSsh() {
    assertThat(onLinux(Map.of(), WSL_PROC_VERSION).decide(URL).commands()).isNotEmpty();
    assertThat(onLinux(Map.of("SSH_TTY", "/dev/pts/0"), WSL_PROC_VERSION).decide(URL).commands())
        .isEmpty();
  }

  @Test
  void anOrdinaryLinuxKernelIsNotWsl() {
    assertThat(
            Platform.of(
                    Os.LINUX,
                    Map.of(),
                    "Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org)",
                    Set.of())
                .wsl())
        .isFalse();
  }

  // ------------------------------------------------------------------ BROWSER

  @Test
  void browserIsACommandToWhichTheUrlIsAppended() {
    assertThat(
            on(Os.LINUX, Map.of("BROWSER", "firefox --new-window", "DISPLAY", ":0"))
                .decide(URL)
                .argvs())
        .containsExactly(List.of("firefox", "--new-window", LINK));
  }

  @Test
  void browserWithPercentSGetsTheUrlThere() {
    assertThat(on(Os.MAC, Map.of("BROWSER", "my-opener --url=%s --quiet")).decide(URL).argvs())
        .containsExactly(List.of("my-opener", "--url=" + LINK, "--quiet"));
  }

  @Test
  void severalBrowsersAreTriedInOrderUntilOneWorks() {
    BrowserLauncher launcher =
        on(
            Os.LINUX,
            Map.of(
                "BROWSER", "missing-browser:broken %s:'/opt/My Browser/run' -n", "DISPLAY", ":0"));
    runner.answer(new IOException("No such file or directory"), 2, "running");
    Result result = launcher.open(URL);
    assertThat(result.opened()).isTrue();
    assertThat(result.message()).contains("/opt/My Browser/run");
    assertThat(runner.started)
        .containsExactly(
            List.of("missing-browser", LINK),
            List.of("broken", LINK),
            List.of("/opt/My Browser/run", "-n", LINK));
  }

  @Test
  void onWindowsBrowserEntriesAreSeparatedBySemicolons() {
    assertThat(
            on(Os.WINDOWS, Map.of("BROWSER", "\"C:\\Program Files\\B\\b.exe\";edge"))
                .decide(URL)
                .argvs())
        .containsExactly(List.of("C:\\Program Files\\B\\b.exe", LINK), List.of("edge", LINK));
  }

  @Test
  void browserIsHonouredOverSshAndWithoutADisplayBecauseItIsExplicit() {
    // VS Code's remote terminals set BROWSER to a helper that opens the page on the person's
    // machine.
    assertThat(
            on(
                    Os.LINUX,
                    Map.of(
                        "BROWSER",
                        "/home/u/.vscode-server/bin/x/helpers/browser.sh",
                        "SSH_CONNECTION",
                        "a b c d"),
                    "setsid")
                .decide(URL)
                .argvs())
        .containsExactly(
            List.of("setsid", "/home/u/.vscode-server/bin/x/helpers/browser.sh", LINK));
  }

  @Test
  void anEmptyBrowserFallsBackToThePlatformDefault() {
    assertThat(on(Os.LINUX, Map.of("BROWSER", " : ", "DISPLAY", ":0")).decide(URL).argvs())
        .containsExactly(List.of("xdg-open", LINK));
  }

  @Test
  void wordsSplitOnSpacesAndQuotesGroupWithoutExpansion() {
    assertThat(BrowserDecision.words("  a 'b c' \"d $HOME\" e''f  "))
        .containsExactly("a", "b c", "d $HOME", "ef");
    assertThat(BrowserDecision.words("")).isEmpty();
  }

  // ------------------------------------------------------------------ what may be opened

  @Test
  void onlyWebUrlsWithAHostAreOpened() {
    BrowserLauncher launcher = on(Os.LINUX, Map.of("DISPLAY", ":0", "BROWSER", "firefox"));
    for (String bad :
        List.of(
            "file:///etc/passwd",
            "javascript:alert(1)",
            "ftp://example.com/x",
            "mailto:a@example.com",
            "http:///device",
            "/device")) {
      Result result = launcher.open(URI.create(bad));
      assertThat(result.status()).as(bad).isEqualTo(Result.Status.SKIPPED);
    }
    assertThat(launcher.open(null).status()).isEqualTo(Result.Status.SKIPPED);
    assertThat(runner.started).isEmpty();
  }

  @Test
  void shellMetacharactersStayInsideTheOneArgumentThatIsTheUrl() {
    URI tricky = URI.create("https://x.example/device?user_code=A;B&c=$(touch%20pwned)'x'");
    List<List<String>> argvs = on(Os.LINUX, Map.of("DISPLAY", ":0")).decide(tricky).argvs();
    assertThat(argvs).containsExactly(List.of("xdg-open", tricky.toASCIIString()));
  }

  @Test
  void nonAsciiIsPercentEncodedBeforeItReachesAProgram() {
    URI uri = URI.create("https://x.example/gerät?c=ä");
    assertThat(on(Os.MAC, Map.of()).decide(uri).argvs())
        .containsExactly(List.of("open", "https://x.example/ger%C3%A4t?c=%C3%A4"));
  }

  // ------------------------------------------------------------------ outcomes

  @Test
  void exitStatusZeroOrStillRunningMeansOpened() {
    BrowserLauncher launcher = on(Os.LINUX, Map.of("DISPLAY", ":0"));
    runner.answer(0, "running");
    assertThat(launcher.open(URL).opened()).isTrue();
    assertThat(launcher.open(URL).opened()).isTrue();
  }

  @Test
  void aFailedLaunchIsAHintNotAnException() {
    BrowserLauncher launcher = on(Os.LINUX, Map.of("DISPLAY", ":0"));
    runner.answer(
        3,
        new IOException("error=2, No such file or directory"),
        new IllegalStateException("boom"));
    Result exited = launcher.open(URL);
    assertThat(exited.status()).isEqualTo(Result.Status.FAILED);
    assertThat(exited.hint()).contains("xdg-open exited with status 3");
    assertThat(launcher.open(URL).hint()).contains("could not run xdg-open");
    assertThat(launcher.open(URL).hint()).contains("could not run xdg-open");
  }

  // ------------------------------------------------------------------ the real runner

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void theSystemRunnerReportsExitStatusRunningAndMissingPrograms() throws Exception {
    ProcessRunner real = ProcessRunner.system();
    assertThat(real.start(List.of("sh", "-c", "exit 3"), Duration.ofSeconds(10))).hasValue(3);
    assertThat(real.start(List.of("sh", "-c", "read x; exit 0"), Duration.ofSeconds(10)))
        .as("standard input is empty, so read ends at once")
        .isNotEmpty();
    assertThat(real.start(List.of("sleep", "1"), Duration.ofMillis(50))).isEmpty();
    try {
      real.start(
          List.of("devicelogin-no-such-program-" + System.nanoTime()), Duration.ofSeconds(1));
      throw new AssertionError("a missing program must not start");
    } catch (IOException expected) {
      // As the launcher expects.
    }
  }
}
