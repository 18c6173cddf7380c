package io.devicelogin.cli.terminal;

import io.devicelogin.cli.terminal.BrowserLauncher.Result;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.flow.LoginListener;
import io.devicelogin.client.flow.PollEvent;
import io.devicelogin.client.wire.Scope;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

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
 * <p>It never writes the device code, a token, or any other secret: it reads only the user code,
 * the URIs, the expiry, the interval and the server's message from what the client gives it. Text
 * that came from the server goes through a filter that replaces control and format characters, so a
 * server cannot move the cursor or disguise a URL. Output is UTF-8 whatever the platform's default
 * charset, for the half blocks of the QR code.
 *
 * <p>What it says is {@link LoginText}'s, the countdown's state {@link Countdown}'s; the browser is
 * {@link BrowserLauncher}'s. Callbacks come from the polling thread and the countdown from a
 * scheduler thread; writes are serialised. {@link #codeIssued} waits up to {@link
 * BrowserLauncher#GRACE} for the browser launcher; the first poll is due later than that anyway.
 */
public final class LoginScreen implements LoginListener, AutoCloseable {
  /**
   * Said with every code: the device flow's main risk is a person approving someone else's code.
   */
  public static final String PHISHING_WARNING =
      "Continue only if you started this sign-in yourself. "
          + "If a website, an email or another person gave you this code, deny.";

  /** The launch result's message when {@code --no-browser} says not to try. */
  static final String NO_BROWSER = "--no-browser";

  private final PrintStream err;
  private final TerminalInfo terminal;
  private final LoginText text;
  private final boolean noBrowser;
  private final QrMode qr;
  private final BrowserLauncher launcher;
  private final Clock clock;
  private final Ticker ticker;

  private final Object lock = new Object();
  private Countdown countdown;
  private Instant expiresAt;
  private boolean statusShown;
  private boolean closed;

  private LoginScreen(Builder b) {
    this.err = b.err;
    this.terminal = b.terminal != null ? b.terminal : TerminalInfo.detect();
    this.text = new LoginText(terminal);
    this.noBrowser = b.noBrowser;
    this.qr = b.qr;
    this.launcher = b.launcher;
    this.clock = b.clock;
    this.ticker = new Ticker(b.scheduler);
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
    List<String> qrLines = text.qrLines(complete != null ? complete : uri, qr);
    String shown = text.code(uri, code, complete, authorization.message(), qrLines);
    synchronized (lock) {
      if (closed) {
        return;
      }
      ticker.stop();
      eraseStatus();
      expiresAt = authorization.expiresAt();
      countdown = new Countdown(expiresAt, clock.instant());
      write(shown);
    }

    // Outside the lock: a launch can take up to BrowserLauncher.GRACE, and close() must not wait.
    String browser =
        text.browser(
            launch(completeUri.orElse(authorization.verificationUri())),
            complete != null,
            code,
            !qrLines.isEmpty());

    synchronized (lock) {
      if (closed) {
        return;
      }
      write(browser);
      if (inPlace()) {
        drawStatus();
        ticker.start(this::tick);
      } else {
        write(text.waiting(countdown.left(clock.instant()), expiresAt, clock.getZone()));
        if (terminal.interactive()) {
          ticker.start(this::tick);
        }
      }
    }
  }

  @Override
  public void polled(PollEvent event) {
    synchronized (lock) {
      if (closed || countdown == null) {
        return;
      }
      countdown.timeLeft(event.timeLeft(), clock.instant());
      switch (event.outcome()) {
        case PENDING, SLOW_DOWN -> trouble(null, null);
        case NETWORK_ERROR -> trouble("cannot reach the server, retrying", event.nextPollIn());
        case SERVER_ERROR -> trouble("the server had a problem, retrying", event.nextPollIn());
        case RATE_LIMITED ->
            trouble(
                "the server asked to wait, retrying in "
                    + LoginText.seconds(event.nextPollIn())
                    + " s",
                null);
        default -> {
          // Approved, denied, expired or failed: the waiting is over; the command says how it
          // ended.
          ticker.stop();
          eraseStatus();
        }
      }
    }
  }

  @Override
  public void intervalChanged(Duration from, Duration to) {
    above(LoginText.slowDown(to));
  }

  @Override
  public void scopeWidened(Scope requested, Scope granted) {
    above(text.scopeWidened(requested, granted));
  }

  /** Stops the countdown and erases its line. Safe to call more than once, from any thread. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      ticker.shutdown();
      eraseStatus();
    }
  }

  // ---------------------------------------------------------------- the countdown

  /** One tick of the countdown; the scheduler calls it once a second. */
  private void tick() {
    synchronized (lock) {
      if (closed || !ticker.running()) {
        return;
      }
      if (inPlace()) {
        drawStatus();
      } else {
        countdown.tick(clock.instant()).ifPresent(line -> write(LoginText.INDENT + line + "\n"));
      }
    }
  }

  /** Redraws the countdown's line in place. */
  private void drawStatus() {
    write(text.status(countdown.line(clock.instant())));
    statusShown = true;
  }

  /**
   * Shows what keeps the polls from getting through, or, with a null {@code trouble}, that they get
   * through again: in place, the countdown carries it; as plain lines, {@link Countdown#trouble}
   * says when a line is due.
   */
  private void trouble(String trouble, Duration retryIn) {
    Optional<String> line = countdown.trouble(trouble, retryIn);
    if (inPlace()) {
      if (statusShown) {
        drawStatus();
      }
    } else {
      line.ifPresent(l -> write(LoginText.INDENT + l + "\n"));
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
      write(LoginText.above(lines));
      if (redraw) {
        drawStatus();
      }
    }
  }

  private void eraseStatus() {
    if (statusShown) {
      write(LoginText.ERASE_LINE);
      statusShown = false;
    }
  }

  private boolean inPlace() {
    return terminal.interactive() && terminal.escapes();
  }

  // ---------------------------------------------------------------- the browser

  private Result launch(URI target) {
    if (noBrowser) {
      return new Result(Result.Status.SKIPPED, NO_BROWSER);
    }
    try {
      return (launcher != null ? launcher : BrowserLauncher.system()).open(target);
    } catch (RuntimeException e) {
      return new Result(Result.Status.FAILED, "the launcher failed");
    }
  }

  private void write(CharSequence text) {
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    err.write(bytes, 0, bytes.length);
    err.flush();
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
