package io.devicelogin.client.wire;

import io.devicelogin.client.Secret;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A token revocation request (RFC 7009 §2.1). Client authentication is added by whoever sends it,
 * and read by whoever receives it.
 *
 * @param token the refresh or access token to revoke
 * @param tokenTypeHint which of the two it is, as a hint the server may ignore
 */
public record RevocationRequest(Secret token, Optional<String> tokenTypeHint) {
  /** The hint for a refresh token (RFC 7009 §2.1). */
  public static final String REFRESH_TOKEN = "refresh_token";

  /** The hint for an access token (RFC 7009 §2.1). */
  public static final String ACCESS_TOKEN = "access_token";

  public RevocationRequest {
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
  public static RevocationRequest parse(Map<String, String> form) {
    return new RevocationRequest(
        RequestParameters.token(form), RequestParameters.tokenTypeHint(form));
  }
}
