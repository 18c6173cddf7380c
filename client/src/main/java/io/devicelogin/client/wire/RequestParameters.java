package io.devicelogin.client.wire;

import io.devicelogin.client.Secret;
import java.util.Map;
import java.util.Optional;

/**
 * Reading the parameters of a request form, shared by the request types' {@code parse}. An empty
 * value counts as none (RFC 6749 §3.1: "Parameters sent without a value MUST be treated as if they
 * were omitted").
 */
final class RequestParameters {
  private RequestParameters() {}

  static Optional<String> optional(Map<String, String> form, String name) {
    String value = form.get(name);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  static String required(Map<String, String> form, String name) {
    return optional(form, name).orElseThrow(() -> MalformedRequestException.missing(name));
  }

  /**
   * The {@code scope} parameter; the empty scope when there is none.
   *
   * @throws MalformedRequestException {@code invalid_scope} for a token outside RFC 6749 §3.3, or a
   *     scope of spaces only
   */
  static Scope scope(Map<String, String> form) {
    Optional<String> text = optional(form, "scope");
    if (text.isEmpty()) {
      return Scope.empty();
    }
    Scope scope;
    try {
      scope = Scope.parse(text.get());
    } catch (IllegalArgumentException e) {
      throw new MalformedRequestException(OAuthError.INVALID_SCOPE, e.getMessage());
    }
    if (scope.isEmpty()) {
      throw new MalformedRequestException(OAuthError.INVALID_SCOPE, "the scope is empty");
    }
    return scope;
  }

  /**
   * The form of a request about one token: revocation (RFC 7009 §2.1), introspection (RFC 7662).
   */
  static Form tokenForm(Secret token, Optional<String> tokenTypeHint) {
    return Form.of()
        .add("token", token.revealForTransmission())
        .add("token_type_hint", tokenTypeHint.orElse(null));
  }

  /** The {@code token} of such a request. */
  static Secret token(Map<String, String> form) {
    return Secret.of(required(form, "token"));
  }

  /** The {@code token_type_hint} of such a request. */
  static Optional<String> tokenTypeHint(Map<String, String> form) {
    return optional(form, "token_type_hint");
  }
}
