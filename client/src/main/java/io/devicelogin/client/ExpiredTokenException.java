package io.devicelogin.client;

import io.devicelogin.client.wire.OAuthError;
import java.net.URI;

/**
 * The device code expired before the person approved ({@code expired_token}, RFC 8628 §3.5), as the
 * server said or as the client's own clock showed. A caller may start a new authorization.
 */
public final class ExpiredTokenException extends OAuthErrorException {
  private static final long serialVersionUID = 1L;

  public ExpiredTokenException(OAuthError error, int httpStatus, URI endpoint) {
    super(error, httpStatus, endpoint);
  }

  /** The client's clock reached {@code expires_in}; no request was sent after that. */
  public static ExpiredTokenException detectedLocally(URI tokenEndpoint) {
    return new ExpiredTokenException(
        new OAuthError(
            OAuthError.EXPIRED_TOKEN,
            "the code expired before it was approved (detected by the client's clock)",
            null),
        0,
        tokenEndpoint);
  }
}
