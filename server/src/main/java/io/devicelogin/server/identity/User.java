package io.devicelogin.server.identity;

import java.time.Instant;
import java.util.Optional;

/** A local account. The password hash never leaves {@link UserService}. */
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
