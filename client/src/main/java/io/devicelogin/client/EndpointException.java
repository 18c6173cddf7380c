package io.devicelogin.client;

import java.net.URI;

/**
 * An endpoint answered, but not with what the caller needed: an OAuth error object, a server
 * failure, an invalid response. Says which endpoint, and the HTTP status of the answer.
 */
public abstract class EndpointException extends DeviceLoginException {
  private static final long serialVersionUID = 1L;

  private final URI endpoint;
  private final int httpStatus;

  protected EndpointException(String message, URI endpoint, int httpStatus) {
    super(message);
    this.endpoint = endpoint;
    this.httpStatus = httpStatus;
  }

  /** The endpoint that answered. */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * The HTTP status that carried the answer (some providers send errors with 200, 403 or 428); 0
   * for what the client detected by itself.
   */
  public int httpStatus() {
    return httpStatus;
  }
}
