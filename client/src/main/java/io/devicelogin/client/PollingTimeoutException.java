package io.devicelogin.client;

import java.time.Duration;

/**
 * The caller's maximum wait passed before the person approved. No request was sent after it. The
 * device code itself may still be valid at the server.
 */
public final class PollingTimeoutException extends DeviceLoginException {
  private static final long serialVersionUID = 1L;

  private final Duration maximumWait;

  public PollingTimeoutException(Duration maximumWait) {
    super("gave up waiting for approval after " + maximumWait.toSeconds() + " s");
    this.maximumWait = maximumWait;
  }

  /** The limit that was reached. */
  public Duration maximumWait() {
    return maximumWait;
  }
}
