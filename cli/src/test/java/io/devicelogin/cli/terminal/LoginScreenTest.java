package io.devicelogin.cli.terminal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.cli.terminal.Platform.Os;
import io.devicelogin.client.Cancellation;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.Secret;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.flow.PollEvent;
import io.devicelogin.client.flow.PollOutcome;
import io.devicelogin.client.flow.PollingPolicy;
import io.devicelogin.client.testing.DeviceFlowFixture;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.ManualClock;
import io.devicelogin.client.testing.Reply;
import io.devicelogin.client.wire.DeviceAuthorizationResponse;
import io.devicelogin.client.wire.Scope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the login screen writes, byte for byte, on each kind of standard error. */
class LoginScreenTest {
  private static final String URI_PLAIN = "https://login.example.com/device";
  private static final String COMPLETE = "https://login.example.com/device?user_code=WDJBMJHT";
  private static final String CODE = "WDJB-MJHT";
  private static final String ESC = "\u001b";

  private static final TerminalInfo COLOUR = new TerminalInfo(true, 120, 60, true);
  private static final TerminalInfo NO_COLOR = new TerminalInfo(true, 120, 60, false);
  private static final TerminalInfo PIPE = TerminalInfo.notATerminal();

  private final ManualClock clock = ManualClock.atEpochOf2026();
  private final FakeScheduler scheduler = new FakeScheduler();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, UTF_8);
  private final BrowserLauncherTest.Recorder runner = new BrowserLauncherTest.Recorder();
  private final String deviceCode = IssuedSecrets.fresh("dc-");
  private LoginScreen screen;

  @AfterEach
  void neverTheDeviceCode() {
    if (screen != null) {
      screen.close();
    }
    assertThat(out()).doesNotContain(deviceCode);
    for (String secret : IssuedSecrets.all()) {
      assertThat(out()).doesNotContain(secret);
    }
  }

  private DeviceAuthorization authorization(String complete, String message) {
    return new DeviceAuthorization(
        new DeviceAuthorizationResponse(
            Secret.of(deviceCode),
            CODE,
            URI.create(URI_PLAIN),
            Optional.ofNullable(complete).map(URI::create),
            Duration.ofMinutes(10),
            Duration.ofSeconds(5),
            Optional.ofNullable(message)),
        Scope.of("read"),
        clock.instant());
  }

  private BrowserLauncher launcher(Map<String, String> env) {
    return new BrowserLauncher(Platform.of(Os.LINUX, env, "", Set.of()), runner);
  }

  private LoginScreen screen(TerminalInfo terminal, UnaryOperator<LoginScreen.Builder> more) {
    LoginScreen.Builder b =
        LoginScreen.builder(err)
            .terminal(terminal)
            .clock(clock)
            .scheduler(scheduler)
            .launcher(launcher(Map.of("DISPLAY", ":0")));
    screen = more.apply(b).build();
    return screen;
  }

  private LoginScreen screen(TerminalInfo terminal) {
    return screen(terminal, b -> b);
  }

  private String out() {
    return bytes.toString(UTF_8);
  }

  private List<String> visible() {
    return VirtualTerminal.lines(out());
  }

  private String lastLine() {
    List<String> lines = visible();
    return lines.get(lines.size() - 1);
  }

  private static PollEvent event(PollOutcome outcome, Duration timeLeft) {
    return new PollEvent(
        1, outcome, Duration.ofSeconds(5), Duration.ofSeconds(5), timeLeft, Optional.empty());
  }

  // ------------------------------------------------------------------ a terminal with escape codes

  @Test
  void onATerminalWithEscapesEverythingIsShownAndTheCountdownRunsInPlace() {
    screen(COLOUR).codeIssued(authorization(COMPLETE, null));
    String raw = out();

    assertThat(raw).contains(ESC + "[1m" + URI_PLAIN + ESC + "[0m");
    assertThat(raw).contains(ESC + "[1m" + CODE + ESC + "[0m");
    assertThat(raw).contains(COMPLETE);
    for (String line : QrBlocks.render(COMPLETE)) {
      assertThat(raw).contains("  " + ESC + "[97;40m" + line + ESC + "[0m\n");
    }
    String flat = VirtualTerminal.flat(raw);
    assertThat(flat).contains("! " + LoginScreen.PHISHING_WARNING);
    assertThat(flat)
        .contains("✓ Opened the page in your browser. Check that it shows the code " + CODE + ".");
    assertThat(runner.started).containsExactly(List.of("xdg-open", COMPLETE));
    // The order a person reads: QR code, where and what, the direct link, the warning, the browser.
    assertThat(raw.indexOf("Scan with your phone"))
        .isLessThan(raw.indexOf("Open  "))
        .isLessThan(raw.indexOf("Code  "));
    assertThat(raw.indexOf("Code  ")).isLessThan(raw.indexOf("Or go straight"));
    assertThat(raw.indexOf("Or go straight")).isLessThan(raw.indexOf("Continue only"));
    assertThat(raw.indexOf("Continue only")).isLessThan(raw.indexOf("Opened the page"));

    assertThat(lastLine())
        .isEqualTo("  ⠋ Waiting for approval · code expires in 10:00 · Ctrl-C to cancel");
    int lines = visible().size();
    assertThat(scheduler.live()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    scheduler.tick();
    assertThat(lastLine())
        .isEqualTo("  ⠙ Waiting for approval · code expires in 9:59 · Ctrl-C to cancel");
    clock.advance(Duration.ofSeconds(75));
    scheduler.tick();
    assertThat(lastLine()).contains("code expires in 8:44");
    assertThat(visible()).hasSize(lines);
    assertThat(out()).contains("\r" + ESC + "[2K");

    screen.polled(event(PollOutcome.APPROVED, Duration.ofMinutes(8)));
    assertThat(lastLine()).isEmpty();
    assertThat(out()).endsWith("\r" + ESC + "[2K");
    assertThat(scheduler.live()).isZero();
  }

  @Test
  void slowDownIsMentionedAboveTheCountdown() {
    screen(COLOUR).codeIssued(authorization(COMPLETE, null));
    screen.intervalChanged(Duration.ofSeconds(5), Duration.ofSeconds(10));
    List<String> lines = visible();
    assertThat(lines.get(lines.size() - 2))
        .isEqualTo("  The server asked to slow down: checking every 10 s now.");
    assertThat(lines.get(lines.size() - 1))
        .contains("Waiting for approval · code expires in 10:00");
  }

  @Test
  void networkTroubleShowsInTheCountdownUntilThePollsGetThrough() {
    screen(COLOUR).codeIssued(authorization(COMPLETE, null));
    screen.polled(event(PollOutcome.NETWORK_ERROR, Duration.ofMinutes(10)));
    assertThat(lastLine()).contains("cannot reach the server, retrying");
    screen.polled(event(PollOutcome.PENDING, Duration.ofMinutes(10)));
    assertThat(lastLine()).doesNotContain("cannot reach").contains("code expires in");
  }

  @Test
  void aTimeLimitShorterThanTheCodeIsWhatTheCountdownShows() {
    screen(COLOUR).codeIssued(authorization(COMPLETE, null));
    screen.polled(event(PollOutcome.PENDING, Duration.ofSeconds(60)));
    clock.advance(Duration.ofSeconds(1));
    scheduler.tick();
    assertThat(lastLine()).contains("giving up in 0:59");
  }

  @Test
  void theCountdownSaysWhenTheCodeHasExpired() {
    screen(COLOUR).codeIssued(authorization(COMPLETE, null));
    clock.advance(Duration.ofMinutes(10));
    scheduler.tick();
    assertThat(lastLine()).isEqualTo("  ✗ The code has expired.");
  }

  @Test
  void closeErasesTheCountdownOnceAndSilencesEverythingAfter() {
    screen(COLOUR).codeIssued(authorization(COMPLETE, null));
    screen.close();
    String afterClose = out();
    assertThat(afterClose).endsWith("\r" + ESC + "[2K");
    assertThat(lastLine()).isEmpty();
    assertThat(scheduler.live()).isZero();
    assertThat(scheduler.isShutdown())
        .as("a scheduler it was given is not its to shut down")
        .isFalse();

    screen.close();
    screen.intervalChanged(Duration.ofSeconds(5), Duration.ofSeconds(10));
    screen.polled(event(PollOutcome.PENDING, Duration.ofMinutes(9)));
    screen.codeIssued(authorization(COMPLETE, null));
    scheduler.tick();
    assertThat(out()).isEqualTo(afterClose);
  }

  @Test
  void aNarrowTerminalGetsNoQrCodeAndACountdownCutToItsWidth() {
    // The code is 37 columns wide, and indented by 2.
    screen(new TerminalInfo(true, 38, 60, true)).codeIssued(authorization(COMPLETE, null));
    assertThat(out()).doesNotContain("█").doesNotContain("Scan with your phone");
    assertThat(lastLine().length()).isLessThanOrEqualTo(37);
    assertThat(lastLine()).startsWith("  ⠋ Waiting for approval").endsWith("…");
    // Prose is wrapped to the width; only the links, which must stay whole, may be longer.
    assertThat(visible())
        .filteredOn(line -> !line.contains("https://"))
        .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(37));
  }

  @Test
  void aShortTerminalGetsNoQrCodeSoThatNothingScrollsAwayBeforeItIsScanned() {
    screen(new TerminalInfo(true, 120, 24, true)).codeIssued(authorization(COMPLETE, null));
    assertThat(out()).doesNotContain("█");
  }

  @Test
  void qrOffHidesItOnAnyTerminal() {
    screen(COLOUR, b -> b.qr(QrMode.OFF)).codeIssued(authorization(COMPLETE, null));
    assertThat(out()).doesNotContain("█").doesNotContain("Scan with");
  }

  // ------------------------------------------------------------------ NO_COLOR

  @Test
  void withNoColorThereIsNoEscapeByteAndAPlainLineNowAndThen() {
    screen(NO_COLOR).codeIssued(authorization(COMPLETE, null));
    assertThat(out()).doesNotContain(ESC).doesNotContain("\r");
    for (String line : QrBlocks.render(COMPLETE)) {
      assertThat(out()).contains("  " + line + "\n");
    }
    assertThat(out())
        .contains("  Open  " + URI_PLAIN + "\n")
        .contains("  Code  " + CODE + "\n")
        .contains(
            "Waiting for approval; the code expires in 10 min, at 00:10. Press Ctrl-C to cancel.\n");
    assertThat(VirtualTerminal.flat(out())).contains("! " + LoginScreen.PHISHING_WARNING);

    String before = out();
    clock.advance(Duration.ofSeconds(30));
    scheduler.tick();
    assertThat(out()).isEqualTo(before);
    clock.advance(Duration.ofSeconds(31));
    scheduler.tick();
    assertThat(out()).endsWith("  Still waiting for approval; code expires in 9 min.\n");
    clock.advance(Duration.ofMinutes(9));
    scheduler.tick();
    assertThat(out()).endsWith("  The code has expired.\n");

    screen.polled(event(PollOutcome.EXPIRED, Duration.ZERO));
    assertThat(scheduler.live()).isZero();
    assertThat(out()).doesNotContain(ESC).doesNotContain("\r");
  }

  // ------------------------------------------------------------------ not a terminal

  @Test
  void notATerminalGetsPlainLinesNoQrNoCountdownAndNoEscapeByte() {
    screen(PIPE).codeIssued(authorization(COMPLETE, null));
    screen.intervalChanged(Duration.ofSeconds(5), Duration.ofSeconds(10));
    screen.polled(event(PollOutcome.NETWORK_ERROR, Duration.ofMinutes(9)));
    screen.polled(event(PollOutcome.NETWORK_ERROR, Duration.ofMinutes(9)));
    screen.polled(event(PollOutcome.APPROVED, Duration.ofMinutes(9)));
    screen.close();
    String raw = out();

    assertThat(raw).doesNotContain(ESC).doesNotContain("\r");
    assertThat(raw)
        .doesNotContain("█")
        .doesNotContain("▀")
        .doesNotContain("▄")
        .doesNotContain("Ctrl-C");
    assertThat(scheduler.tasks).isEmpty();
    assertThat(raw)
        .contains("  Open  " + URI_PLAIN + "\n")
        .contains("  Code  " + CODE + "\n")
        .contains("  " + COMPLETE + "\n")
        .contains("  Waiting for approval; the code expires in 10 min, at 00:10.\n")
        .contains("  The server asked to slow down: checking every 10 s now.\n");
    assertThat(raw.split("Cannot reach the server, retrying", -1)).hasSize(2);
    assertThat(VirtualTerminal.flat(raw)).contains("! " + LoginScreen.PHISHING_WARNING);
  }

  @Test
  void notATerminalSaysWhenTheNextTryComesEachTimeTheBackoffGrowsAndWhenTheServerAnswersAgain() {
    screen(PIPE).codeIssued(authorization(COMPLETE, null));
    // A backoff from an interval of 1 s with the client's 5 % pad: 2.1 s, 4.2 s, then at its cap.
    for (long millis : new long[] {2100, 4200, 63_000, 63_000}) {
      screen.polled(
          new PollEvent(
              1,
              PollOutcome.NETWORK_ERROR,
              Duration.ofSeconds(1),
              Duration.ofMillis(millis),
              Duration.ofMinutes(9),
              Optional.of("connection refused")));
    }
    screen.polled(event(PollOutcome.PENDING, Duration.ofMinutes(8)));
    screen.polled(event(PollOutcome.PENDING, Duration.ofMinutes(8)));
    screen.polled(
        new PollEvent(
            1,
            PollOutcome.SERVER_ERROR,
            Duration.ofSeconds(1),
            Duration.ofMillis(2100),
            Duration.ofMinutes(8),
            Optional.of("HTTP 503")));
    screen.close();

    assertThat(out().lines().filter(line -> line.contains("retrying") || line.contains("again")))
        .containsExactly(
            "  Cannot reach the server, retrying in 2 s.",
            "  Cannot reach the server, retrying in 4 s.",
            "  Cannot reach the server, retrying in 63 s.",
            "  The server answers again; still waiting for approval.",
            "  The server had a problem, retrying in 2 s.");
    assertThat(out()).doesNotContain("connection refused");
  }

  @Test
  void qrOnIsShownEvenWhenNotATerminal() {
    screen(PIPE, b -> b.qr(QrMode.ON)).codeIssued(authorization(COMPLETE, null));
    for (String line : QrBlocks.render(COMPLETE)) {
      assertThat(out()).contains("  " + line + "\n");
    }
    assertThat(out()).doesNotContain(ESC);
  }

  // ------------------------------------------------------------------ the browser

  @Test
  void noBrowserRunsNothingAndPointsToTheLinkAndTheQrCode() {
    screen(COLOUR, b -> b.noBrowser(true)).codeIssued(authorization(COMPLETE, null));
    assertThat(runner.started).isEmpty();
    assertThat(VirtualTerminal.flat(out()))
        .contains("Open the page on any device, or scan the QR code.");
    assertThat(out()).doesNotContain("Opened the page").doesNotContain("Not opening");
  }

  @Test
  void overSshTheReasonIsGiven() {
    screen(PIPE, b -> b.launcher(launcher(Map.of("SSH_CONNECTION", "a b c d", "DISPLAY", ":0"))))
        .codeIssued(authorization(COMPLETE, null));
    assertThat(VirtualTerminal.flat(out()))
        .contains(
            "Not opening a browser: this is an SSH session, so a browser here would not be in front of you. Open the page on any device.");
  }

  @Test
  void aFailedLaunchIsAHint() {
    runner.answer(3);
    screen(COLOUR).codeIssued(authorization(COMPLETE, null));
    assertThat(VirtualTerminal.flat(out()))
        .contains(
            "! Could not open a browser (xdg-open exited with status 3). Open the page yourself.");
    assertThat(lastLine()).contains("Waiting for approval");
  }

  // ------------------------------------------------------------------ what the server sends

  @Test
  void entraStyleMessageAndNoCompleteUri() {
    String message =
        "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code "
            + CODE
            + " to authenticate.";
    screen(COLOUR).codeIssued(authorization(null, message));
    String flat = VirtualTerminal.flat(out());
    assertThat(flat).contains("The server says: " + message);
    assertThat(out()).doesNotContain("Or go straight");
    assertThat(runner.started).containsExactly(List.of("xdg-open", URI_PLAIN));
    assertThat(flat).contains("✓ Opened the page in your browser. Enter the code there.");
    assertThat(out()).contains(QrBlocks.render(URI_PLAIN).get(2));
  }

  @Test
  void textFromTheServerCannotDriveTheTerminal() {
    String code = "AB" + ESC + "[2J" + "\u202eCD";
    DeviceAuthorization hostile =
        new DeviceAuthorization(
            new DeviceAuthorizationResponse(
                Secret.of(deviceCode),
                code,
                URI.create(URI_PLAIN),
                Optional.of(URI.create("https://login.example.com/device?u=\u202etxt.exe")),
                Duration.ofMinutes(10),
                Duration.ofSeconds(5),
                Optional.of(
                    "line one\r\nline two " + ESC + "]0;owned" + "\u0007 " + ESC + "[31mred")),
            Scope.of("read"),
            clock.instant());
    screen(PIPE).codeIssued(hostile);
    assertThat(out())
        .doesNotContain(ESC)
        .doesNotContain("\u0007")
        .doesNotContain("\u202e")
        .doesNotContain("\r");
    assertThat(out()).contains("Code  AB\uFFFD[2J\uFFFDCD");
    assertThat(out()).contains("https://login.example.com/device?u=%E2%80%AEtxt.exe");
    assertThat(out())
        .contains("The server says: line one line two \uFFFD]0;owned\uFFFD \uFFFD[31mred");
  }

  @Test
  void widenedScopesAreWarnedAbout() {
    screen(PIPE).codeIssued(authorization(COMPLETE, null));
    screen.scopeWidened(Scope.of("read"), Scope.of("read", "admin"));
    assertThat(out()).contains("  ! The server granted more than was asked for: admin.\n");
  }

  // ------------------------------------------------------------------ with the real client

  @Test
  void aWholeLoginAgainstAFakeServerPrintsNoSecret() {
    try (DeviceFlowFixture flow = new DeviceFlowFixture()) {
      flow.issuesCodes(5, 600);
      flow.server.onSequence(
          DeviceFlowFixture.TOKEN,
          Reply.oauthError(400, "authorization_pending"),
          Reply.oauthError(400, "slow_down"),
          DeviceFlowFixture.tokens());
      LoginScreen.Builder b =
          LoginScreen.builder(err)
              .terminal(COLOUR)
              .clock(flow.clock)
              .scheduler(scheduler)
              .launcher(launcher(Map.of("DISPLAY", ":0")));
      screen = b.build();
      DeviceLogin login = flow.login(PollingPolicy.defaults(), screen);
      TokenSet tokens = login.login(Cancellation.none());
      screen.close();
      assertThat(tokens.scope()).contains("read");
    }
    String raw = out();
    assertThat(raw).contains("BCDF-GHJK").contains("checking every 10 s now.");
    for (String secret : IssuedSecrets.all()) {
      assertThat(raw).doesNotContain(secret);
    }
    assertThat(lastLine()).isEmpty();
  }

  @Test
  void theDefaultSchedulerTicksInRealTimeAndStopsOnClose() throws Exception {
    LoginScreen real =
        LoginScreen.builder(err)
            .terminal(COLOUR)
            .launcher(launcher(Map.of("DISPLAY", ":0")))
            .build();
    real.codeIssued(
        new DeviceAuthorization(
            new DeviceAuthorizationResponse(
                Secret.of(deviceCode),
                CODE,
                URI.create(URI_PLAIN),
                null,
                Duration.ofMinutes(10),
                Duration.ofSeconds(5)),
            Scope.empty(),
            Instant.now()));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (out().split("Waiting for approval", -1).length < 3 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(out().split("Waiting for approval", -1))
        .as("at least two draws")
        .hasSizeGreaterThanOrEqualTo(3);
    real.close();
    deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (countdownThreadAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(countdownThreadAlive()).isFalse();
  }

  private static boolean countdownThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("devicelogin-countdown") && t.isAlive());
  }
}
