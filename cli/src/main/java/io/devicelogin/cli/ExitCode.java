package io.devicelogin.cli;

import io.devicelogin.cli.store.StoreUnavailableException;
import io.devicelogin.client.AccessDeniedException;
import io.devicelogin.client.DiscoveryException;
import io.devicelogin.client.ExpiredTokenException;
import io.devicelogin.client.InvalidResponseException;
import io.devicelogin.client.LoginCancelledException;
import io.devicelogin.client.PollingTimeoutException;
import io.devicelogin.client.ServerErrorException;
import io.devicelogin.client.TransportException;

/**
 * The exit codes of {@code devicelogin}, one per outcome a script can act on. Listed in the README
 * and in {@code --help}.
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

  /** Ctrl-C, as shells report a process ended by SIGINT. */
  public static final int CANCELLED = 130;

  /** The footer of {@code --help}. */
  public static final String HELP =
      "%nExit codes:%n"
          + "  0 success        1 unexpected error       2 usage error%n"
          + "  3 access denied  4 code expired           5 timed out (--timeout)%n"
          + "  6 cannot reach or understand the server   7 not logged in / grant revoked%n"
          + "  8 no secure token store available         130 cancelled (Ctrl-C)";

  /** The exit code for a failure. */
  public static int of(Throwable failure) {
    if (failure instanceof AccessDeniedException) {
      return ACCESS_DENIED;
    }
    if (failure instanceof ExpiredTokenException) {
      return CODE_EXPIRED;
    }
    if (failure instanceof PollingTimeoutException) {
      return TIMED_OUT;
    }
    if (failure instanceof TransportException
        || failure instanceof InvalidResponseException
        || failure instanceof ServerErrorException
        || failure instanceof DiscoveryException) {
      return SERVER_UNREACHABLE;
    }
    if (failure instanceof NotLoggedInException
        || failure instanceof io.devicelogin.cli.store.UnreadableTokensException) {
      return NOT_LOGGED_IN;
    }
    if (failure instanceof StoreUnavailableException) {
      return NO_SECURE_STORE;
    }
    if (failure instanceof LoginCancelledException) {
      return CANCELLED;
    }
    if (failure instanceof UsageException || failure instanceof IllegalArgumentException) {
      return USAGE;
    }
    return UNEXPECTED;
  }
}
