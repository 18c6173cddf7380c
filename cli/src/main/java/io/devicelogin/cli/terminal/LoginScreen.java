package io.devicelogin.cli.terminal;

import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.flow.LoginListener;
import io.devicelogin.client.flow.PollEvent;
import io.devicelogin.client.flow.PollOutcome;
import io.devicelogin.client.wire.Scope;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What a person sees on standard error while {@code devicelogin login} waits: where to go, the
 * code, a QR code, a warning against phishing, whether a browser was opened, and a countdown to
 * expiry.
 *
 * <pre>{@code
 * try (LoginScreen screen = LoginScreen.builder(System.err).noBrowser(noBrowser).qr(qrMode).build()) {
 *   DeviceLogin login = DeviceLogin.builder()...listener(screen).build();
 *   TokenSet tokens = login.login(cancellation);   // codeIssued(..) draws the screen and opens the browser
 * }                                                // close(): the countdown stops and its line is erased
 * // then print the outcome yourself ("Logged in as …", or the error): this class prints none
 * }</pre>
 *
 * <p>On {@link #codeIssued} it writes, in this order: the QR code of {@code
 * verification_uri_complete} (or of {@code verification_uri} when there is none) when it is shown;
 * the verification URI and the user code, both bold when escape codes are allowed; {@code
 * verification_uri_complete}, when the server sent one; the server's own message, when it sent one
 * (Entra ID does); {@link #PHISHING_WARNING}; then it opens the browser at the complete URI (else
 * the plain one) and says whether it did, or why not. Then, on an interactive terminal with escape
 * codes, one line counts down to expiry and is redrawn in place every second; on a terminal without
 * them (NO_COLOR) a plain line says how long is left once a minute; elsewhere (a pipe, a file,
 * {@code TERM=dumb}) a single line says when the code expires, and nothing moves.
 *
 * <p>The QR code is shown with {@link QrMode#AUTO} only on an interactive terminal that is wide and
 * tall enough; {@link QrMode#ON} shows it always, even in a log; {@link QrMode#OFF} never.
 *
 * <p>It never writes the device code, a token, or any other secret: it reads only the user code,
 * the URIs, the expiry, the interval and the server's message from what the client gives it. Text
 * that came from the server goes through a filter that replaces control and format characters, so a
 * server cannot move the cursor or disguise a URL. Output is UTF-8 whatever the platform's default
 * charset, for the half blocks of the QR code.
 *
 * <p>Callbacks come from the polling thread and the countdown from a scheduler thread; writes are
 * serialised. {@link #codeIssued} waits up to {@link BrowserLauncher#GRACE} for the browser
 * launcher; the first poll is due later than that anyway.
 */
public final class LoginScreen implements LoginListener, AutoCloseable {
  /**
   * Said with every code: the device flow's main risk is a person approving someone else's code.
   */
  public static final String PHISHING_WARNING =
      "Continue only if you started this sign-in yourself. "
          + "If a website, an email or another person gave you this code, deny.";

  /** When to show a QR code. */
  public enum QrMode {
    /** On an interactive terminal where it fits. */
    AUTO,
    /** Always, even when standard error is not a terminal or the code does not fit. */
    ON,
    /** Never. */
    OFF;

    /** From a {@code --qr}/{@code --no-qr} pair held as a Boolean: null (neither) is AUTO. */
    public static QrMode of(Boolean flag) {
      return flag == null ? AUTO : flag ? ON : OFF;
    }
  }

  private static final String CSI = "\u001b[";
  private static final String ERASE_LINE = "\r" + CSI + "2K";
  private static final String BOLD = "1";
  private static final String YELLOW = "33;1";
  private static final String GREEN = "32;1";
  private static final String RED = "31;1";

  /** Bright white ink on black: the QR code's polarity comes out right on a light terminal too. */
  private static final String QR_COLOURS = "97;40";

  private static final String[] SPINNER = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
  private static final String INDENT = "  ";
  private static final int PROSE_WIDTH = 100;

  /** Lines the rest of the screen takes beside the QR code; below that much height, no QR code. */
  private static final int LINES_BESIDE_QR = 16;

  private static final int MESSAGE_MAX_LENGTH = 500;
  private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm");

  private final PrintStream err;
  private final TerminalInfo terminal;
  private final boolean noBrowser;
  private final QrMode qr;
  private final BrowserLauncher launcher;
  private final Clock clock;
  private final ScheduledExecutorService givenScheduler;

  private final Object lock = new Object();
  private ScheduledExecutorService ownScheduler;
  private ScheduledFuture<?> ticker;
  private Instant expiresAt;

  /** When the client itself stops waiting ({@code --timeout}), from the last poll; may be null. */
  private Instant givesUpAt;

  private PollOutcome trouble;
  private String troubleText;

  /** The last trouble written as a plain line, so that the same one is not written again. */
  private String lastTroubleLine;

  private long lastMinutesAnnounced;
  private boolean expiryAnnounced;
  private boolean statusShown;
  private int frame;
  private boolean closed;

  private LoginScreen(Builder b) {
    this.err = b.err;
    this.terminal = b.terminal != null ? b.terminal : TerminalInfo.detect();
    this.noBrowser = b.noBrowser;
    this.qr = b.qr;
    this.launcher = b.launcher;
    this.clock = b.clock;
    this.givenScheduler = b.scheduler;
  }

  /** A screen writing to {@code err}, usually {@code System.err}. */
  public static Builder builder(PrintStream err) {
    return new Builder(err);
  }

  // ---------------------------------------------------------------- listener

  @Override
  public void codeIssued(DeviceAuthorization authorization) {
    String code = ScreenText.clean(authorization.userCode());
    String uri = ScreenText.clean(authorization.verificationUri().toASCIIString());
    Optional<URI> completeUri = authorization.verificationUriComplete();
    String complete = completeUri.map(u -> ScreenText.clean(u.toASCIIString())).orElse(null);

    StringBuilder s = new StringBuilder("\n");
    List<String> qrLines = qrLines(complete != null ? complete : uri);
    if (!qrLines.isEmpty()) {
      s.append(INDENT).append("Scan with your phone to sign in, or open the page below.\n");
      for (String line : qrLines) {
        s.append(INDENT).append(style(QR_COLOURS, line)).append('\n');
      }
      s.append('\n');
    }
    s.append(INDENT).append("Open  ").append(style(BOLD, uri)).append('\n');
    s.append(INDENT).append("Code  ").append(style(BOLD, code)).append('\n');
    if (complete != null) {
      s.append('\n');
      prose(s, "Or go straight to this link, which fills in the code:", "", "");
      // Never wrapped: a person copies it whole, and a terminal finds it as one link.
      s.append(INDENT).append(complete).append('\n');
    }
    authorization
        .message()
        .filter(m -> !m.isBlank())
        .ifPresent(
            m -> {
              s.append('\n');
              prose(s, "The server says: " + ScreenText.oneLine(m, MESSAGE_MAX_LENGTH), "", "");
            });
    s.append('\n');
    prose(s, PHISHING_WARNING, style(YELLOW, "!") + " ", "  ");
    s.append('\n');
    synchronized (lock) {
      if (closed) {
        return;
      }
      stopTicker();
      eraseStatus();
      expiresAt = authorization.expiresAt();
      givesUpAt = null;
      trouble = null;
      troubleText = null;
      lastTroubleLine = null;
      expiryAnnounced = false;
      lastMinutesAnnounced = minutesLeft(Duration.between(clock.instant(), expiresAt));
      write(s);
    }

    // Outside the lock: a launch can take up to BrowserLauncher.GRACE, and close() must not wait.
    String browser =
        browserLine(
            launch(completeUri.orElse(authorization.verificationUri())),
            complete != null,
            code,
            !qrLines.isEmpty());

    synchronized (lock) {
      if (closed) {
        return;
      }
      write(browser);
      Duration left = Duration.between(clock.instant(), expiresAt);
      if (inPlace()) {
        drawStatus(left);
        startTicker();
      } else {
        write(
            INDENT
                + "Waiting for approval; the code expires in "
                + roughly(left)
                + ", at "
                + CLOCK_TIME.format(expiresAt.atZone(clock.getZone()))
                + "."
                + (terminal.interactive() ? " Press Ctrl-C to cancel." : "")
                + "\n");
        if (terminal.interactive()) {
          startTicker();
        }
      }
    }
  }

  @Override
  public void polled(PollEvent event) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (!event.timeLeft().isNegative()) {
        givesUpAt = clock.instant().plus(event.timeLeft());
      }
      switch (event.outcome()) {
        case PENDING:
        case SLOW_DOWN:
          setTrouble(null, null, null);
          break;
        case NETWORK_ERROR:
          setTrouble(event.outcome(), "cannot reach the server, retrying", event.nextPollIn());
          break;
        case SERVER_ERROR:
          setTrouble(event.outcome(), "the server had a problem, retrying", event.nextPollIn());
          break;
        case RATE_LIMITED:
          setTrouble(
              event.outcome(),
              "the server asked to wait, retrying in " + seconds(event.nextPollIn()) + " s",
              null);
          break;
        default:
          // Approved, denied, expired or failed: the waiting is over; the command says how it
          // ended.
          stopTicker();
          eraseStatus();
      }
    }
  }

  @Override
  public void intervalChanged(Duration from, Duration to) {
    above("The server asked to slow down: checking every " + seconds(to) + " s now.\n");
  }

  @Override
  public void scopeWidened(Scope requested, Scope granted) {
    StringBuilder s = new StringBuilder();
    prose(
        s,
        "The server granted more than was asked for: "
            + ScreenText.oneLine(granted.without(requested).format(), MESSAGE_MAX_LENGTH)
            + ".",
        style(YELLOW, "!") + " ",
        "  ");
    above(s.toString());
  }

  /** Stops the countdown and erases its line. Safe to call more than once, from any thread. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      stopTicker();
      eraseStatus();
      if (ownScheduler != null) {
        ownScheduler.shutdownNow();
      }
    }
  }

  // ---------------------------------------------------------------- the countdown

  /** One tick of the countdown; the scheduler calls it once a second. */
  private void tick() {
    synchronized (lock) {
      if (closed || ticker == null) {
        return;
      }
      Duration left = Duration.between(clock.instant(), deadline());
      if (inPlace()) {
        drawStatus(left);
      } else if (left.isZero() || left.isNegative()) {
        if (!expiryAnnounced) {
          expiryAnnounced = true;
          write(INDENT + expiredText() + "\n");
        }
      } else {
        long minutes = minutesLeft(left);
        if (minutes < lastMinutesAnnounced) {
          lastMinutesAnnounced = minutes;
          write(
              INDENT
                  + "Still waiting for approval; "
                  + countdownLabel()
                  + " "
                  + roughly(left)
                  + ".\n");
        }
      }
    }
  }

  private void drawStatus(Duration left) {
    String text;
    if (left.isZero() || left.isNegative()) {
      text = "✗ " + expiredText();
    } else {
      text =
          SPINNER[frame++ % SPINNER.length]
              + " Waiting for approval · "
              + countdownLabel()
              + " "
              + clockFace(left)
              + (troubleText != null ? " · " + troubleText : "")
              + " · Ctrl-C to cancel";
    }
    write(ERASE_LINE + fit(INDENT + text));
    statusShown = true;
  }

  private String expiredText() {
    return givesUpBeforeExpiry()
        ? "Stopped waiting: the time limit is up."
        : "The code has expired.";
  }

  private String countdownLabel() {
    return givesUpBeforeExpiry() ? "giving up in" : "code expires in";
  }

  private Instant deadline() {
    return givesUpBeforeExpiry() ? givesUpAt : expiresAt;
  }

  private boolean givesUpBeforeExpiry() {
    return givesUpAt != null && givesUpAt.isBefore(expiresAt.minusSeconds(1));
  }

  /**
   * Shows what keeps the polls from getting through, or, with a null {@code text}, that they get
   * through again. In place, the countdown carries {@code text}. As plain lines, where nothing is
   * redrawn, a line says when the next try comes ({@code retryIn}), each time that changes: the
   * doubling waits of a backoff each get a line, the same wait again (at the backoff's cap) none,
   * so that a long outage is a few lines, not one a poll. When the polls get through again a line
   * says so, or a person reading a log would still believe the server unreachable.
   */
  private void setTrouble(PollOutcome outcome, String text, Duration retryIn) {
    boolean hadTrouble = trouble != null;
    trouble = outcome;
    troubleText = text;
    if (inPlace()) {
      if (statusShown) {
        drawStatus(Duration.between(clock.instant(), deadline()));
      }
      return;
    }
    if (text == null) {
      if (hadTrouble) {
        write(INDENT + "The server answers again; still waiting for approval.\n");
      }
      lastTroubleLine = null;
      return;
    }
    String line =
        Character.toUpperCase(text.charAt(0))
            + text.substring(1)
            + (retryIn == null ? "" : " in " + roundedSeconds(retryIn) + " s")
            + ".";
    if (!line.equals(lastTroubleLine)) {
      write(INDENT + line + "\n");
      lastTroubleLine = line;
    }
  }

  /** Writes whole lines above the countdown, which is redrawn below them. */
  private void above(String lines) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      boolean redraw = statusShown;
      eraseStatus();
      for (String line : lines.split("\n")) {
        write(INDENT + line + "\n");
      }
      if (redraw) {
        drawStatus(Duration.between(clock.instant(), deadline()));
      }
    }
  }

  private void eraseStatus() {
    if (statusShown) {
      write(ERASE_LINE);
      statusShown = false;
    }
  }

  private void startTicker() {
    ScheduledExecutorService scheduler = givenScheduler;
    if (scheduler == null) {
      if (ownScheduler == null) {
        ownScheduler =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "devicelogin-countdown");
                  t.setDaemon(true);
                  return t;
                });
      }
      scheduler = ownScheduler;
    }
    ticker = scheduler.scheduleAtFixedRate(this::tickSafely, 1, 1, TimeUnit.SECONDS);
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      // A failed redraw must not end the countdown's thread with a stack trace on the screen.
    }
  }

  private void stopTicker() {
    if (ticker != null) {
      ticker.cancel(false);
      ticker = null;
    }
  }

  private boolean inPlace() {
    return terminal.interactive() && terminal.escapes();
  }

  // ---------------------------------------------------------------- pieces

  private List<String> qrLines(String text) {
    boolean show;
    switch (qr) {
      case OFF:
        show = false;
        break;
      case ON:
        show = true;
        break;
      default:
        show = terminal.interactive() && QrCode.fits(text, terminal.columns() - INDENT.length());
    }
    if (!show) {
      return List.of();
    }
    List<String> lines;
    try {
      lines = QrCode.render(text);
    } catch (IllegalArgumentException e) {
      return List.of();
    }
    if (qr == QrMode.AUTO
        && terminal.rows() > 0
        && terminal.rows() < lines.size() + LINES_BESIDE_QR) {
      // The top of the code would scroll away before the person could scan it.
      return List.of();
    }
    return lines;
  }

  private BrowserLauncher.Result launch(URI target) {
    if (noBrowser) {
      return new BrowserLauncher.Result(BrowserLauncher.Result.Status.SKIPPED, "--no-browser");
    }
    try {
      return (launcher != null ? launcher : BrowserLauncher.system()).open(target);
    } catch (RuntimeException e) {
      return new BrowserLauncher.Result(
          BrowserLauncher.Result.Status.FAILED, "the launcher failed");
    }
  }

  private String browserLine(
      BrowserLauncher.Result result, boolean complete, String code, boolean qrShown) {
    StringBuilder s = new StringBuilder();
    switch (result.status()) {
      case OPENED:
        prose(
            s,
            complete
                ? "Opened the page in your browser. Check that it shows the code " + code + "."
                : "Opened the page in your browser. Enter the code there.",
            style(GREEN, "✓") + " ",
            "  ");
        break;
      case SKIPPED:
        String where =
            qrShown
                ? "Open the page on any device, or scan the QR code."
                : "Open the page on any device.";
        prose(
            s,
            result.message().equals("--no-browser")
                ? where
                : "Not opening a browser: " + result.message() + ". " + where,
            "",
            "");
        break;
      default:
        prose(
            s,
            "Could not open a browser (" + result.message() + "). Open the page yourself.",
            style(RED, "!") + " ",
            "  ");
    }
    return s.toString();
  }

  /** Appends {@code text} wrapped to the terminal, after {@code first} and then {@code next}. */
  private void prose(StringBuilder s, String text, String first, String next) {
    int width =
        Math.max(
            20, Math.min(terminal.columns(), PROSE_WIDTH) - INDENT.length() - next.length() - 1);
    List<String> lines = ScreenText.wrap(text, width);
    for (int i = 0; i < lines.size(); i++) {
      s.append(INDENT).append(i == 0 ? first : next).append(lines.get(i)).append('\n');
    }
  }

  /** Cuts a status line to the terminal's width, so that erasing it erases all of it. */
  private String fit(String line) {
    int max = terminal.columns() - 1;
    if (line.codePointCount(0, line.length()) <= max) {
      return line;
    }
    return line.substring(0, line.offsetByCodePoints(0, Math.max(0, max - 1))) + "…";
  }

  private String style(String sgr, String text) {
    return terminal.escapes() ? CSI + sgr + "m" + text + CSI + "0m" : text;
  }

  private void write(CharSequence text) {
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    err.write(bytes, 0, bytes.length);
    err.flush();
  }

  private static String clockFace(Duration left) {
    long s = (left.toMillis() + 999) / 1000;
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    return h > 0 ? String.format("%d:%02d:%02d", h, m, sec) : String.format("%d:%02d", m, sec);
  }

  private static String roughly(Duration left) {
    long s = Math.max(0, (left.toMillis() + 999) / 1000);
    return s < 60 ? s + " s" : minutesLeft(left) + " min";
  }

  private static long minutesLeft(Duration left) {
    long s = Math.max(0, (left.toMillis() + 999) / 1000);
    return (s + 59) / 60;
  }

  private static long seconds(Duration d) {
    return (d.toMillis() + 999) / 1000;
  }

  /**
   * A wait to the nearest second: a backoff's waits carry the client's clock-drift pad (2.1 s for 2
   * s), and "retrying in 3 s" for it would be further from the truth than "2 s".
   */
  private static long roundedSeconds(Duration d) {
    return Math.max(1, Math.round(d.toMillis() / 1000.0));
  }

  // ---------------------------------------------------------------- builder

  /** Options of a {@link LoginScreen}; every one has a default. */
  public static final class Builder {
    private final PrintStream err;
    private boolean noBrowser;
    private QrMode qr = QrMode.AUTO;
    private BrowserLauncher launcher;
    private TerminalInfo terminal;
    private Clock clock = Clock.systemDefaultZone();
    private ScheduledExecutorService scheduler;

    private Builder(PrintStream err) {
      this.err = Objects.requireNonNull(err, "err");
    }

    /** {@code --no-browser}: never open a browser. Default false. */
    public Builder noBrowser(boolean noBrowser) {
      this.noBrowser = noBrowser;
      return this;
    }

    /** {@code --qr} (ON), {@code --no-qr} (OFF), or neither (AUTO, the default). */
    public Builder qr(QrMode qr) {
      this.qr = Objects.requireNonNull(qr, "qr");
      return this;
    }

    /** How to open the browser. Default {@link BrowserLauncher#system()}. */
    public Builder launcher(BrowserLauncher launcher) {
      this.launcher = Objects.requireNonNull(launcher, "launcher");
      return this;
    }

    /** What standard error is. Default {@link TerminalInfo#detect()}. */
    public Builder terminal(TerminalInfo terminal) {
      this.terminal = Objects.requireNonNull(terminal, "terminal");
      return this;
    }

    /**
     * The clock the countdown reads; use the one the {@code DeviceLogin} uses, since the expiry is
     * by its clock. Its zone formats the clock time of expiry. Default {@link
     * Clock#systemDefaultZone()}.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Runs the countdown's ticks, one a second. Default: a daemon thread of the screen's own, ended
     * by {@link #close()}; a scheduler given here is not shut down by it.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    public LoginScreen build() {
      return new LoginScreen(this);
    }
  }
}
