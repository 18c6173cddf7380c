package io.devicelogin.server.store;

import io.devicelogin.client.wire.Scope;
import java.time.Instant;

/**
 * A refresh token as stored: never the token, only what its SHA-256 finds.
 *
 * @param scope the scope the token may refresh, the same as the token it replaced
 * @param idleExpiresAt when it expires unless rotated first
 */
public record RefreshToken(String grantId, Status status, Scope scope, Instant idleExpiresAt) {

  /** The life of a refresh token. */
  public enum Status {
    /** The grant's current refresh token. */
    ACTIVE,
    /** Used once and replaced: presented again, it is a replay. */
    ROTATED,
    /** Its grant was revoked. */
    REVOKED
  }

  /** Whether it may be used at {@code now}, its grant aside. */
  public boolean usableAt(Instant now) {
    return status == Status.ACTIVE && now.isBefore(idleExpiresAt);
  }
}
