package io.devicelogin.server.upstream;

import io.devicelogin.client.wire.OAuthError;
import io.devicelogin.server.protocol.OAuthProblem;

/**
 * The refusals of an upstream sign-in, each an {@link OAuthProblem} whose description is written
 * for the person who reads it on the page and for the audit trail: never a code, token or secret.
 */
final class UpstreamProblems {
  private UpstreamProblems() {}

  /** No upstream of that name is configured. */
  static OAuthProblem unknown(String name) {
    return new OAuthProblem(
        OAuthError.INVALID_REQUEST, "no identity provider named '" + name + "' is configured", 404);
  }

  /** The provider cannot be used now: its discovery document, keys or token endpoint failed. */
  static OAuthProblem unavailable(String displayName, String why) {
    return new OAuthProblem(
        OAuthError.TEMPORARILY_UNAVAILABLE,
        displayName + " cannot be reached or answered wrongly: " + why,
        503);
  }

  /**
   * The callback does not belong to a sign-in this browser started: no flow, another one, or one
   * that has ended. Nothing is done with what it carries.
   */
  static OAuthProblem notThisBrowsersSignIn(String why) {
    return new OAuthProblem(OAuthError.INVALID_REQUEST, why, 400);
  }

  /** The person cancelled at the provider, or the provider refused them. */
  static OAuthProblem cancelled(String displayName, String error) {
    return new OAuthProblem(
        OAuthError.ACCESS_DENIED,
        OAuthError.ACCESS_DENIED.equals(error)
            ? "the sign-in at " + displayName + " was cancelled or refused"
            : displayName + " ended the sign-in with the error " + printable(error),
        403);
  }

  /** The ID token, or the token response around it, fails a check: it is not believed. */
  static OAuthProblem untrusted(String why) {
    return new OAuthProblem(OAuthError.INVALID_GRANT, "the ID token was refused: " + why, 502);
  }

  /** The person is who the provider says, but a rule of this server keeps them out. */
  static OAuthProblem refused(String rule) {
    return new OAuthProblem(OAuthError.ACCESS_DENIED, rule, 403);
  }

  /** An error code as the provider sent it, shortened and limited to printable ASCII. */
  static String printable(String s) {
    String t = s == null ? "" : s.replaceAll("[^\\x20-\\x7E]", "?");
    return t.length() <= 60 ? t : t.substring(0, 60) + "…";
  }
}
