package io.devicelogin.client;

import java.net.URI;

/** The server failed (HTTP 5xx, or 429 outside of polling) without an OAuth error object. */
public final class ServerErrorException extends DeviceLoginException {
  private static final long serialVersionUID = 1L;

  private final URI endpoint;
  private final int httpStatus;

  public ServerErrorException(URI endpoint, int httpStatus) {
    super(endpoint + " failed with HTTP " + httpStatus);
    this.endpoint = endpoint;
    this.httpStatus = httpStatus;
  }

  public URI endpoint() {
    return endpoint;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
