package io.devicelogin.cli.store;

/**
 * The tokens held for a profile exist but cannot be read back: damaged, or written by a newer
 * devicelogin. The message names the profile and the reason, never a value; the way out is to log
 * out and in again.
 */
public final class UnreadableTokensException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnreadableTokensException(String message) {
    super(message);
  }
}
