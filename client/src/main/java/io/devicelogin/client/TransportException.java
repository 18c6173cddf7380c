package io.devicelogin.client;

import java.net.URI;

/**
 * The server could not be reached, or did not answer within the request timeout: connection
 * refused, DNS failure, TLS failure, proxy failure, timeout.
 */
public final class TransportException extends DeviceLoginException {
  private static final long serialVersionUID = 1L;

  private final URI endpoint;

  public TransportException(URI endpoint, String problem, Throwable cause) {
    super("could not reach " + endpoint + ": " + problem, cause);
    this.endpoint = endpoint;
  }

  public URI endpoint() {
    return endpoint;
  }
}
