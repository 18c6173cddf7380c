package io.devicelogin.cli;

/** No tokens are held for the profile, or the server no longer honours them (exit code 7). */
public final class NotLoggedInException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotLoggedInException(String message) {
    super(message);
  }
}
