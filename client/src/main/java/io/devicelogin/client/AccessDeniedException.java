package io.devicelogin.client;

import io.devicelogin.client.wire.OAuthError;
import java.net.URI;

/** The person declined the request ({@code access_denied}, RFC 8628 §3.5). Do not retry. */
public final class AccessDeniedException extends OAuthErrorException {
  private static final long serialVersionUID = 1L;

  public AccessDeniedException(OAuthError error, int httpStatus, URI endpoint) {
    super(error, httpStatus, endpoint);
  }
}
