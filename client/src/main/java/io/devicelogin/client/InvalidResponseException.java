package io.devicelogin.client;

import java.net.URI;

/**
 * The server's answer does not follow the protocol: not JSON, a required field missing or of the
 * wrong type, an unusable URI. The message names the endpoint and the field, never a value that
 * could be secret.
 */
public final class InvalidResponseException extends DeviceLoginException {
  private static final long serialVersionUID = 1L;

  private final URI endpoint;
  private final int httpStatus;

  public InvalidResponseException(URI endpoint, int httpStatus, String problem) {
    super(endpoint + " sent an invalid response (HTTP " + httpStatus + "): " + problem);
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
