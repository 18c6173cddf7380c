package io.devicelogin.client.tokens;

import java.util.List;
import java.util.Optional;

/**
 * What a logout achieved at the server, token by token. A caller wipes its local copies whatever
 * this says, and tells the person when {@link #complete()} is false: the grant may still be live.
 *
 * @param outcomes one entry per token held, the refresh token first
 */
public record RevocationReport(List<Outcome> outcomes) {

  public RevocationReport {
    outcomes = List.copyOf(outcomes);
  }

  /** Whether the server confirmed the revocation of every token. */
  public boolean complete() {
    return outcomes.stream().allMatch(o -> o.status() == Status.REVOKED);
  }

  /** The outcome for one kind of token. */
  public Optional<Outcome> outcome(String tokenTypeHint) {
    return outcomes.stream().filter(o -> o.tokenTypeHint().equals(tokenTypeHint)).findFirst();
  }

  /** What happened to one token. */
  public enum Status {
    /** The server answered 200 (RFC 7009 §2.2). */
    REVOKED,
    /** The server has no revocation endpoint, or does not revoke this kind of token. */
    NOT_SUPPORTED,
    /** The server could not be reached, failed, or refused; the token may still be valid. */
    FAILED
  }

  /**
   * @param tokenTypeHint {@code refresh_token} or {@code access_token}
   * @param status what happened
   * @param detail why, when it was not revoked; never a secret
   */
  public record Outcome(String tokenTypeHint, Status status, Optional<String> detail) {}
}
