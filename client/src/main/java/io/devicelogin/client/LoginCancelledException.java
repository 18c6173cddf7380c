package io.devicelogin.client;

/**
 * The login was cancelled from another thread (or the waiting thread was interrupted). No request
 * is sent after cancellation.
 */
public final class LoginCancelledException extends DeviceLoginException {
  private static final long serialVersionUID = 1L;

  public LoginCancelledException() {
    super("the login was cancelled");
  }
}
