package io.devicelogin.client;

import java.net.URI;

/**
 * The provider's metadata could not be found or cannot be used for the device flow (RFC 8414): no
 * metadata document, an {@code issuer} that differs from the one asked for, or no {@code
 * device_authorization_endpoint}.
 */
public final class DiscoveryException extends DeviceLoginException {
  private static final long serialVersionUID = 1L;

  private final URI issuer;

  public DiscoveryException(URI issuer, String problem) {
    super(problem);
    this.issuer = issuer;
  }

  public DiscoveryException(URI issuer, String problem, Throwable cause) {
    super(problem, cause);
    this.issuer = issuer;
  }

  /** The issuer that was asked for. */
  public URI issuer() {
    return issuer;
  }
}
