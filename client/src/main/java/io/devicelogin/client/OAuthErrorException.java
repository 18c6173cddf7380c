package io.devicelogin.client;

import io.devicelogin.client.wire.OAuthError;
import java.net.URI;

/**
 * The server answered with an OAuth error object (RFC 6749 §5.2). Subclasses name the errors of the
 * device flow a caller handles on their own; any other code arrives as this type, with {@link
 * #error()} telling which.
 */
public class OAuthErrorException extends EndpointException {
  private static final long serialVersionUID = 1L;

  private final transient OAuthError error;

  public OAuthErrorException(OAuthError error, int httpStatus, URI endpoint) {
    super(describe(error, httpStatus, endpoint), endpoint, httpStatus);
    this.error = error;
  }

  /** Builds the exception type that fits the error code. */
  public static OAuthErrorException of(OAuthError error, int httpStatus, URI endpoint) {
    if (error.isAccessDenied()) {
      return new AccessDeniedException(error, httpStatus, endpoint);
    }
    if (error.isExpiredToken()) {
      return new ExpiredTokenException(error, httpStatus, endpoint);
    }
    return new OAuthErrorException(error, httpStatus, endpoint);
  }

  /** The error object as the server sent it. */
  public OAuthError error() {
    return error;
  }

  /** The {@code error} code, such as {@code invalid_grant}. */
  public String code() {
    return error.code();
  }

  private static String describe(OAuthError error, int status, URI endpoint) {
    StringBuilder text = new StringBuilder();
    text.append(endpoint == null ? "the server" : endpoint.toString())
        .append(" answered ")
        .append(error.code());
    error.description().ifPresent(d -> text.append(": ").append(d));
    text.append(" (HTTP ").append(status).append(')');
    return text.toString();
  }
}
