package io.devicelogin.cli;

/**
 * The exit codes of {@code devicelogin}, one per outcome a script can act on. Listed in the README
 * and in {@code --help}; which failure ends with which is {@link Outcome}'s table.
 */
public final class ExitCode {
  private ExitCode() {}

  public static final int OK = 0;
  public static final int UNEXPECTED = 1;
  public static final int USAGE = 2;
  public static final int ACCESS_DENIED = 3;
  public static final int CODE_EXPIRED = 4;
  public static final int TIMED_OUT = 5;
  public static final int SERVER_UNREACHABLE = 6;
  public static final int NOT_LOGGED_IN = 7;
  public static final int NO_SECURE_STORE = 8;

  /** {@code server users …} refused: no such account, a name taken, the last administrator. */
  public static final int REFUSED = 9;

  /** Ctrl-C, as shells report a process ended by SIGINT. */
  public static final int CANCELLED = 130;

  /** The footer of {@code --help}. */
  public static final String HELP =
      "%nExit codes:%n"
          + "  0 success        1 unexpected error       2 usage error%n"
          + "  3 access denied  4 code expired           5 timed out (--timeout)%n"
          + "  6 cannot reach or understand the server   7 not logged in / grant revoked%n"
          + "  8 no secure token store available         9 refused (server users: no such%n"
          + "    account, name taken, last administrator)  130 cancelled (Ctrl-C)";
}
