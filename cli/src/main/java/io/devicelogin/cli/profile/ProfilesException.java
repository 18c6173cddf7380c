package io.devicelogin.cli.profile;

/**
 * The profiles file cannot be read or written. The message is meant for the user as it is (which
 * file, what is wrong, what to do); print it without a stack trace.
 */
public final class ProfilesException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProfilesException(String message) {
    super(message);
  }

  public ProfilesException(String message, Throwable cause) {
    super(message, cause);
  }
}
