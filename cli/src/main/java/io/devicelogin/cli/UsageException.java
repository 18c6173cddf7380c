package io.devicelogin.cli;

/** The command line cannot work as given (exit code 2). */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
