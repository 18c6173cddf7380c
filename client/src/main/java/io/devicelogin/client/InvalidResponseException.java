package io.devicelogin.client;

import java.net.URI;

/**
 * The server's answer does not follow the protocol: not JSON, a required field missing or of the
 * wrong type, an unusable URI. The message names the endpoint and the field, never a value that
 * could be secret.
 */
public final class InvalidResponseException extends EndpointException {
  private static final long serialVersionUID = 1L;

  public InvalidResponseException(URI endpoint, int httpStatus, String problem) {
    super(
        endpoint + " sent an invalid response (HTTP " + httpStatus + "): " + problem,
        endpoint,
        httpStatus);
  }
}
