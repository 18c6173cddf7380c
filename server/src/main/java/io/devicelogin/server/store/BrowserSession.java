package io.devicelogin.server.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A browser's session with the pages, as stored. The cookie that names it is never stored, only its
 * SHA-256; {@link #ref()} is a non-secret handle that the audit trail and the rate limits use, and
 * that stays the same when the session id is rotated at sign-in.
 *
 * @param idHash the SHA-256 hex of the cookie value
 * @param ref a random, non-secret handle for audit and rate limits
 * @param userId the signed-in user, if any
 * @param csrfToken the token every form of this session carries (a secret of this session)
 * @param lastSeenAt when the session was last used, to within a minute (for the idle timeout)
 * @param authenticatedAt when a password was last typed in this session: at sign-in, or when it was
 *     asked for again
 * @param idp the upstream identity provider the person signed in with; empty for a password
 * @param amr how the person signed in, as RFC 8176 words separated by spaces ({@code pwd})
 */
public record BrowserSession(
    String idHash,
    String ref,
    Optional<String> userId,
    String csrfToken,
    Instant createdAt,
    Instant expiresAt,
    Instant lastSeenAt,
    Optional<Instant> authenticatedAt,
    Optional<String> idp,
    Optional<String> amr) {

  /** The way a password sign-in is named in {@code amr} (RFC 8176 §2). */
  public static final String PASSWORD = "pwd";

  /** A session not signed in yet, or signed in with no record of how. */
  public BrowserSession(
      String idHash,
      String ref,
      Optional<String> userId,
      String csrfToken,
      Instant createdAt,
      Instant expiresAt,
      Instant lastSeenAt,
      Optional<Instant> authenticatedAt) {
    this(
        idHash,
        ref,
        userId,
        csrfToken,
        createdAt,
        expiresAt,
        lastSeenAt,
        authenticatedAt,
        Optional.empty(),
        Optional.empty());
  }

  public boolean signedIn() {
    return userId.isPresent();
  }

  /** This session as last used at {@code now}. */
  public BrowserSession seenAt(Instant now) {
    return new BrowserSession(
        idHash, ref, userId, csrfToken, createdAt, expiresAt, now, authenticatedAt, idp, amr);
  }

  /** This session with a password typed in it at {@code now}, which is a use too. */
  public BrowserSession authenticatedAt(Instant now) {
    return new BrowserSession(
        idHash, ref, userId, csrfToken, createdAt, expiresAt, now, Optional.of(now), idp, amr);
  }

  /** Never shows the CSRF token, so that a session logged by mistake leaks nothing. */
  @Override
  public String toString() {
    return "BrowserSession[ref="
        + ref
        + ", userId="
        + userId.orElse("-")
        + ", expiresAt="
        + expiresAt
        + "]";
  }
}
