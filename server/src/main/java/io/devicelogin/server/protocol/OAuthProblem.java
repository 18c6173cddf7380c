package io.devicelogin.server.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.wire.OAuthError;
import java.time.Duration;
import java.util.Optional;

/**
 * A refusal, raised by a service whichever way the request came: an OAuth endpoint answers it as an
 * RFC 6749 §5.2 JSON object with its status, a page tells the person its description in a page of
 * its own. The description is written for developers and people alike, and never holds a secret.
 */
public final class OAuthProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final int status;
  private final Duration interval;
  private final Duration retryAfter;

  public OAuthProblem(String code, String description, int status) {
    this(code, description, status, null, null);
  }

  private OAuthProblem(
      String code, String description, int status, Duration interval, Duration retryAfter) {
    super(description, null, false, false);
    this.code = code;
    this.status = status;
    this.interval = interval;
    this.retryAfter = retryAfter;
  }

  public static OAuthProblem invalidRequest(String description) {
    return new OAuthProblem(OAuthError.INVALID_REQUEST, description, 400);
  }

  public static OAuthProblem invalidClient(String description) {
    return new OAuthProblem(OAuthError.INVALID_CLIENT, description, 401);
  }

  public static OAuthProblem invalidGrant(String description) {
    return new OAuthProblem(OAuthError.INVALID_GRANT, description, 400);
  }

  public static OAuthProblem invalidScope(String description) {
    return new OAuthProblem(OAuthError.INVALID_SCOPE, description, 400);
  }

  public static OAuthProblem unauthorizedClient(String description) {
    return new OAuthProblem(OAuthError.UNAUTHORIZED_CLIENT, description, 400);
  }

  public static OAuthProblem pending() {
    return new OAuthProblem(
        OAuthError.AUTHORIZATION_PENDING, "the person has not answered yet", 400);
  }

  /** {@code slow_down}, telling the client its new interval as GitHub does. */
  public static OAuthProblem slowDown(Duration interval) {
    return new OAuthProblem(
        OAuthError.SLOW_DOWN,
        "polled sooner than the interval; the interval is now " + interval.toSeconds() + " s",
        400,
        interval,
        null);
  }

  public static OAuthProblem accessDenied() {
    return new OAuthProblem(OAuthError.ACCESS_DENIED, "the person denied the request", 400);
  }

  /**
   * {@code access_denied} for a request approved by an account that has since been disabled or
   * locked.
   */
  public static OAuthProblem accountNotActive() {
    return new OAuthProblem(
        OAuthError.ACCESS_DENIED,
        "the account that approved the request is disabled or locked",
        400);
  }

  public static OAuthProblem expiredToken() {
    return new OAuthProblem(OAuthError.EXPIRED_TOKEN, "the device code has expired", 400);
  }

  /** A request over a rate limit, to be tried again after {@code retryAfter}. */
  public static OAuthProblem tooManyRequests(String description, Duration retryAfter) {
    return new OAuthProblem("too_many_requests", description, 429, null, retryAfter);
  }

  /**
   * {@code temporarily_unavailable} (RFC 6749 §4.1.2.1) as a 503: the server cannot take this
   * request now, but the same one may succeed after {@code retryAfter}.
   */
  public static OAuthProblem temporarilyUnavailable(String description, Duration retryAfter) {
    return new OAuthProblem(OAuthError.TEMPORARILY_UNAVAILABLE, description, 503, null, retryAfter);
  }

  // A person's decision on a device authorization (RFC 8628 §3.3), refused. No endpoint answers
  // these today; the codes are what one would say.

  /** The account deciding is disabled or locked. */
  public static OAuthProblem accountCannotApprove() {
    return new OAuthProblem(OAuthError.ACCESS_DENIED, "this account cannot approve sign-ins", 403);
  }

  /** The client's approver policy leaves the person out; the request has been denied. */
  public static OAuthProblem notAnApprover() {
    return new OAuthProblem(
        OAuthError.ACCESS_DENIED,
        "this account is not allowed to approve sign-ins of this program",
        403);
  }

  /** No device authorization has this id. */
  public static OAuthProblem unknownAuthorization() {
    return new OAuthProblem(OAuthError.INVALID_REQUEST, "unknown request", 404);
  }

  /** The client that asked has been removed from the configuration since. */
  public static OAuthProblem clientNoLongerRegistered() {
    return new OAuthProblem(
        OAuthError.UNAUTHORIZED_CLIENT, "the client is no longer registered", 400);
  }

  /** The device authorization has been decided already, or has expired. */
  public static OAuthProblem alreadyDecided() {
    return new OAuthProblem(
        OAuthError.INVALID_REQUEST, "this request has already been answered or has expired", 409);
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  /** How long to wait before trying again ({@code Retry-After}), if the refusal says. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  public ObjectNode toJson() {
    ObjectNode json = new OAuthError(code, describable(getMessage()), null).toJson();
    if (interval != null) {
      json.put("interval", interval.toSeconds());
    }
    return json;
  }

  /**
   * RFC 6749 §5.2: {@code error_description} holds only %x20-21 / %x23-5B / %x5D-7E. Anything else
   * (a quote, a backslash, a non-ASCII letter in a message written for people) becomes {@code ?}.
   */
  static String describable(String description) {
    if (description == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(description.length());
    for (int i = 0; i < description.length(); i++) {
      char ch = description.charAt(i);
      boolean allowed = ch >= 0x20 && ch <= 0x7E && ch != '"' && ch != '\\';
      out.append(allowed ? ch : '?');
    }
    return out.toString();
  }
}
