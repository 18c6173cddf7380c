package io.devicelogin.client.wire;

/**
 * A request that a server refuses while reading it, with the error code of RFC 6749 §5.2 it is
 * answered with ({@code invalid_request}, {@code unsupported_grant_type}, {@code invalid_scope})
 * and a description for the developer, which never echoes a value. Thrown by the {@code parse}
 * methods of the request types.
 */
public final class MalformedRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;

  public MalformedRequestException(String code, String description) {
    // No stack trace: a server meets these by the thousand from a misbehaving client.
    super(description, null, false, false);
    this.code = code;
  }

  static MalformedRequestException missing(String parameter) {
    return new MalformedRequestException(
        OAuthError.INVALID_REQUEST, "the parameter `" + parameter + "` is missing");
  }

  /** The {@code error} code to answer with. */
  public String code() {
    return code;
  }

  /** The {@code error_description} to answer with. */
  public String description() {
    return getMessage();
  }

  /** The error object to answer with. */
  public OAuthError toError() {
    return new OAuthError(code, description(), null);
  }
}
