package io.devicelogin.server.store;

import java.time.Instant;
import java.util.Optional;

/** A local account, as stored. The password hash never leaves {@link UserStore}. */
public record User(
    String id,
    String username,
    String displayName,
    Optional<String> email,
    boolean admin,
    Status status,
    Instant createdAt) {

  /** Whether the account may sign in, approve and keep its grants alive. */
  public enum Status {
    ACTIVE,
    DISABLED,
    LOCKED
  }

  public boolean isActive() {
    return status == Status.ACTIVE;
  }
}
