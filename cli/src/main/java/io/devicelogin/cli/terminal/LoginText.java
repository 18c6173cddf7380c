package io.devicelogin.cli.terminal;

import io.devicelogin.cli.terminal.BrowserLauncher.Result;
import io.devicelogin.client.wire.Scope;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * What the login screen says, laid out for one terminal: the code and where to enter it, the QR
 * code, the browser's line, the countdown's words, and the colours and widths that fit the terminal
 * ({@link TerminalInfo}). Text from the server comes in already cleaned ({@link ScreenText#clean});
 * nothing here writes.
 */
final class LoginText {
  static final String INDENT = "  ";
  private static final String CSI = "\u001b[";

  /** Back to the start of the line, and the line erased. */
  static final String ERASE_LINE = "\r" + CSI + "2K";

  private static final String BOLD = "1";
  private static final String YELLOW = "33;1";
  private static final String GREEN = "32;1";
  private static final String RED = "31;1";

  /** Bright white ink on black: the QR code's polarity comes out right on a light terminal too. */
  private static final String QR_COLOURS = "97;40";

  private static final String[] SPINNER = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
  private static final int PROSE_WIDTH = 100;

  /** Lines the rest of the screen takes beside the QR code; below that much height, no QR code. */
  private static final int LINES_BESIDE_QR = 16;

  private static final int MESSAGE_MAX_LENGTH = 500;
  private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm");

  private final TerminalInfo terminal;

  LoginText(TerminalInfo terminal) {
    this.terminal = terminal;
  }

  /**
   * The lines of a QR code of {@code text}, or none: {@link QrMode#AUTO} shows one only on an
   * interactive terminal that is wide and tall enough.
   */
  List<String> qrLines(String text, QrMode qr) {
    boolean show =
        switch (qr) {
          case OFF -> false;
          case ON -> true;
          case AUTO ->
              terminal.interactive() && QrBlocks.fits(text, terminal.columns() - INDENT.length());
        };
    if (!show) {
      return List.of();
    }
    List<String> lines;
    try {
      lines = QrBlocks.render(text);
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

  /**
   * The code, in the order a person reads it: the QR code, where to go and the code, the link that
   * fills in the code, the server's own message, and the warning against phishing.
   *
   * @param complete {@code verification_uri_complete}, or null when the server sent none
   */
  String code(
      String uri, String code, String complete, Optional<String> message, List<String> qrLines) {
    StringBuilder s = new StringBuilder("\n");
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
    message
        .filter(m -> !m.isBlank())
        .ifPresent(
            m -> {
              s.append('\n');
              prose(s, "The server says: " + ScreenText.oneLine(m, MESSAGE_MAX_LENGTH), "", "");
            });
    s.append('\n');
    prose(s, LoginScreen.PHISHING_WARNING, style(YELLOW, "!") + " ", "  ");
    s.append('\n');
    return s.toString();
  }

  /** Whether the browser was opened, or why not, and what to do instead. */
  String browser(Result result, boolean complete, String code, boolean qrShown) {
    StringBuilder s = new StringBuilder();
    switch (result.status()) {
      case OPENED ->
          prose(
              s,
              complete
                  ? "Opened the page in your browser. Check that it shows the code " + code + "."
                  : "Opened the page in your browser. Enter the code there.",
              style(GREEN, "✓") + " ",
              "  ");
      case SKIPPED -> {
        String where =
            qrShown
                ? "Open the page on any device, or scan the QR code."
                : "Open the page on any device.";
        prose(
            s,
            result.message().equals(LoginScreen.NO_BROWSER)
                ? where
                : "Not opening a browser: " + result.message() + ". " + where,
            "",
            "");
      }
      case FAILED ->
          prose(
              s,
              "Could not open a browser (" + result.message() + "). Open the page yourself.",
              style(RED, "!") + " ",
              "  ");
    }
    return s.toString();
  }

  /** Where nothing is redrawn: how long the code lasts, once. */
  String waiting(Duration left, Instant expiresAt, ZoneId zone) {
    return INDENT
        + "Waiting for approval; the code expires in "
        + roughly(left)
        + ", at "
        + CLOCK_TIME.format(expiresAt.atZone(zone))
        + "."
        + (terminal.interactive() ? " Press Ctrl-C to cancel." : "")
        + "\n";
  }

  /** The countdown line, redrawn in place: erases the line, then writes it cut to the width. */
  String status(String text) {
    return ERASE_LINE + fit(INDENT + text);
  }

  /** Lines written above the countdown. */
  static String above(String lines) {
    StringBuilder s = new StringBuilder();
    for (String line : lines.split("\n")) {
      s.append(INDENT).append(line).append('\n');
    }
    return s.toString();
  }

  /** The line that says the server asked for a longer interval. */
  static String slowDown(Duration to) {
    return "The server asked to slow down: checking every " + seconds(to) + " s now.\n";
  }

  /** A warning that the server granted scopes nobody asked for. */
  String scopeWidened(Scope requested, Scope granted) {
    StringBuilder s = new StringBuilder();
    prose(
        s,
        "The server granted more than was asked for: "
            + ScreenText.oneLine(granted.without(requested).format(), MESSAGE_MAX_LENGTH)
            + ".",
        style(YELLOW, "!") + " ",
        "  ");
    return s.toString();
  }

  // ---------------------------------------------------------------- the countdown's words

  /** The countdown in place: a spinner frame, the time left, and what keeps polls from working. */
  static String counting(int frame, String label, Duration left, String trouble) {
    return SPINNER[frame % SPINNER.length]
        + " Waiting for approval · "
        + label
        + " "
        + clockFace(left)
        + (trouble != null ? " · " + trouble : "")
        + " · Ctrl-C to cancel";
  }

  static String label(boolean givesUpFirst) {
    return givesUpFirst ? "giving up in" : "code expires in";
  }

  static String over(boolean givesUpFirst) {
    return givesUpFirst ? "Stopped waiting: the time limit is up." : "The code has expired.";
  }

  static String stillWaiting(String label, Duration left) {
    return "Still waiting for approval; " + label + " " + roughly(left) + ".";
  }

  /** A line about trouble: {@code text}, with when the next try comes when that is known. */
  static String trouble(String text, Duration retryIn) {
    return Character.toUpperCase(text.charAt(0))
        + text.substring(1)
        + (retryIn == null ? "" : " in " + roundedSeconds(retryIn) + " s")
        + ".";
  }

  static final String ANSWERS_AGAIN = "The server answers again; still waiting for approval.";

  static String clockFace(Duration left) {
    long s = (left.toMillis() + 999) / 1000;
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    return h > 0 ? String.format("%d:%02d:%02d", h, m, sec) : String.format("%d:%02d", m, sec);
  }

  static String roughly(Duration left) {
    long s = Math.max(0, (left.toMillis() + 999) / 1000);
    return s < 60 ? s + " s" : minutesLeft(left) + " min";
  }

  static long minutesLeft(Duration left) {
    long s = Math.max(0, (left.toMillis() + 999) / 1000);
    return (s + 59) / 60;
  }

  static long seconds(Duration d) {
    return (d.toMillis() + 999) / 1000;
  }

  /**
   * A wait to the nearest second: a backoff's waits carry the client's clock-drift pad (2.1 s for 2
   * s), and "retrying in 3 s" for it would be further from the truth than "2 s".
   */
  private static long roundedSeconds(Duration d) {
    return Math.max(1, Math.round(d.toMillis() / 1000.0));
  }

  // ---------------------------------------------------------------- layout

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
}
