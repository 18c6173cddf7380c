package io.devicelogin.client.flow;

/** What one poll of the token endpoint came to. */
public enum PollOutcome {
  /** {@code authorization_pending}: the person has not answered yet. */
  PENDING,
  /** {@code slow_down}: the interval grew. */
  SLOW_DOWN,
  /** The server could not be reached or did not answer in time; the engine backs off. */
  NETWORK_ERROR,
  /** HTTP 5xx; the engine backs off. */
  SERVER_ERROR,
  /** HTTP 429 (or 503 with {@code Retry-After}); the engine waits as told. */
  RATE_LIMITED,
  /** Tokens arrived. */
  APPROVED,
  /** {@code access_denied}. */
  DENIED,
  /** {@code expired_token}. */
  EXPIRED,
  /** Any other error; polling stops. */
  FAILED
}
