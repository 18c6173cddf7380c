package io.devicelogin.cli;

import io.devicelogin.cli.store.StoreUnavailableException;
import io.devicelogin.cli.store.UnreadableTokensException;
import io.devicelogin.client.AccessDeniedException;
import io.devicelogin.client.DiscoveryException;
import io.devicelogin.client.ExpiredTokenException;
import io.devicelogin.client.InvalidResponseException;
import io.devicelogin.client.LoginCancelledException;
import io.devicelogin.client.OAuthErrorException;
import io.devicelogin.client.PollingTimeoutException;
import io.devicelogin.client.ServerErrorException;
import io.devicelogin.client.TransportException;
import io.devicelogin.server.admin.AdminRefusal;
import java.util.List;

/**
 * How a command that failed ends, one row per failure a script can act on: the exceptions that mean
 * it, its {@link ExitCode} (listed in the README and in {@code --help}), the name of the {@code
 * error} in {@code login --json}'s last line, and what the person reads after {@code devicelogin:
 * }. Every command, and picocli through {@link Main}, maps a failure here and nowhere else.
 */
public enum Outcome {
  ACCESS_DENIED(
      ExitCode.ACCESS_DENIED,
      "access_denied",
      "the sign-in was denied in the browser.",
      AccessDeniedException.class),
  CODE_EXPIRED(
      ExitCode.CODE_EXPIRED,
      "expired_token",
      "the code expired before it was approved; run the command again for a new one.",
      ExpiredTokenException.class),
  TIMED_OUT(
      ExitCode.TIMED_OUT,
      "timed_out",
      "gave up waiting (--timeout); run the command again when you are ready to approve.",
      PollingTimeoutException.class),
  SERVER_UNREACHABLE(
      ExitCode.SERVER_UNREACHABLE,
      "server_unreachable",
      null,
      TransportException.class,
      InvalidResponseException.class,
      ServerErrorException.class,
      DiscoveryException.class),
  NOT_LOGGED_IN(
      ExitCode.NOT_LOGGED_IN,
      "error",
      null,
      NotLoggedInException.class,
      UnreadableTokensException.class),
  NO_SECURE_STORE(
      ExitCode.NO_SECURE_STORE, "no_secure_store", null, StoreUnavailableException.class),
  /** {@code server users …}: the change was refused, and nothing was changed. */
  REFUSED(ExitCode.REFUSED, "refused", null, AdminRefusal.class),
  CANCELLED(ExitCode.CANCELLED, "cancelled", "cancelled.", LoginCancelledException.class),
  /** A command line that cannot work as given; a bad value in the environment too. */
  USAGE(ExitCode.USAGE, "error", null, UsageException.class, IllegalArgumentException.class),
  /** Any other failure. */
  UNEXPECTED(ExitCode.UNEXPECTED, "error", null);

  private final int exitCode;
  private final String name;

  /** What the person reads instead of the exception's message; null: the message itself. */
  private final String sentence;

  private final List<Class<? extends Throwable>> failures;

  @SafeVarargs
  Outcome(int exitCode, String name, String sentence, Class<? extends Throwable>... failures) {
    this.exitCode = exitCode;
    this.name = name;
    this.sentence = sentence;
    this.failures = List.of(failures);
  }

  /** The row of {@code failure}: the first whose exceptions it is one of; else UNEXPECTED. */
  public static Outcome of(Throwable failure) {
    for (Outcome outcome : values()) {
      for (Class<? extends Throwable> type : outcome.failures) {
        if (type.isInstance(failure)) {
          return outcome;
        }
      }
    }
    return UNEXPECTED;
  }

  /** The process's exit code. */
  public int exitCode() {
    return exitCode;
  }

  /**
   * The {@code error} of {@code login --json}: the OAuth error code when the server sent one, as it
   * sent it (Entra ID's {@code authorization_declined} stays that), else the row's name.
   */
  public String name(Throwable failure) {
    return failure instanceof OAuthErrorException oauth ? oauth.code() : name;
  }

  /** What the person reads after {@code devicelogin: } on standard error. */
  public String message(Throwable failure) {
    return sentence != null ? sentence : detail(failure);
  }

  /**
   * The failure's own message ({@code login --json} carries it beside the name): never a stack
   * trace, never a secret (no exception of this command or its client puts one in a message).
   */
  public static String detail(Throwable failure) {
    if (failure.getMessage() != null && !failure.getMessage().isBlank()) {
      return failure.getMessage();
    }
    return "unexpected " + failure.getClass().getSimpleName();
  }
}
