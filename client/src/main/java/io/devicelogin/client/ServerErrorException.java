package io.devicelogin.client;

import java.net.URI;

/** The server failed (HTTP 5xx, or 429 outside of polling) without an OAuth error object. */
public final class ServerErrorException extends EndpointException {
  private static final long serialVersionUID = 1L;

  public ServerErrorException(URI endpoint, int httpStatus) {
    super(endpoint + " failed with HTTP " + httpStatus, endpoint, httpStatus);
  }
}
