package io.devicelogin.server.startup;

/**
 * The server could not start for a reason the person who started it can fix: the configuration
 * file, the data directory, the database, the port. The message says which, in one line, and is
 * written by {@link StartupFailures}.
 */
public final class StartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
