package io.devicelogin.client.wire;

import io.devicelogin.client.Secret;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A token introspection request (RFC 7662 §2.1), made by a resource server. Client authentication
 * is added by whoever sends it, and read by whoever receives it.
 *
 * @param token the token to look at
 * @param tokenTypeHint {@code access_token} or {@code refresh_token}, as a hint the server may
 *     ignore
 */
public record IntrospectionRequest(Secret token, Optional<String> tokenTypeHint) {
  public IntrospectionRequest {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(tokenTypeHint, "tokenTypeHint");
  }

  /** The form as sent, without client authentication. */
  public Form toForm() {
    return RequestParameters.tokenForm(token, tokenTypeHint);
  }

  /**
   * @throws MalformedRequestException {@code invalid_request} without a {@code token}
   */
  public static IntrospectionRequest parse(Map<String, String> form) {
    return new IntrospectionRequest(
        RequestParameters.token(form), RequestParameters.tokenTypeHint(form));
  }
}
