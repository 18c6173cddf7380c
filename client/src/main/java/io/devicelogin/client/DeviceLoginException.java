package io.devicelogin.client;

/**
 * The root of every failure this library reports. Each subclass is one failure a caller can act on
 * differently; the messages never contain a secret.
 */
public class DeviceLoginException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeviceLoginException(String message) {
    super(message);
  }

  public DeviceLoginException(String message, Throwable cause) {
    super(message, cause);
  }
}
