package io.devicelogin.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An account, as stored. The password hash never leaves {@link UserStore}.
 *
 * @param link the identity provider's account this one stands for, if it came from one
 * @param groups the upstream's groups at the last sign-in; empty for a local account
 * @param emailVerified whether the upstream said the e-mail address is verified
 * @param lastSignInAt the last sign-in, by password or upstream
 */
public record User(
    String id,
    String username,
    String displayName,
    Optional<String> email,
    boolean admin,
    Status status,
    Instant createdAt,
    Optional<Link> link,
    List<String> groups,
    boolean emailVerified,
    Optional<Instant> lastSignInAt) {

  /** Whether the account may sign in, approve and keep its grants alive. */
  public enum Status {
    ACTIVE,
    DISABLED,
    LOCKED
  }

  /** An account at an upstream identity provider: its name in the config and its {@code sub}. */
  public record Link(String upstream, String subject) {
    public Link {
      Objects.requireNonNull(upstream);
      Objects.requireNonNull(subject);
    }

    /** The form the config's {@code "admins"} and the pages use: {@code upstream:subject}. */
    @Override
    public String toString() {
      return upstream + ":" + subject;
    }
  }

  public User {
    groups = List.copyOf(groups);
  }

  /** A local account, signed in with a password. */
  public User(
      String id,
      String username,
      String displayName,
      Optional<String> email,
      boolean admin,
      Status status,
      Instant createdAt) {
    this(
        id,
        username,
        displayName,
        email,
        admin,
        status,
        createdAt,
        Optional.empty(),
        List.of(),
        false,
        Optional.empty());
  }

  /**
   * Whether a list of people in the configuration ({@code "admins"}, a client's {@code approvers})
   * names this account by {@code entry}: {@code "upstream:subject"} names a linked account, a plain
   * name a local one only, so that a username an upstream chose never grants a role.
   */
  public boolean isNamedBy(String entry) {
    return entry.indexOf(':') >= 0
        ? link.map(l -> l.toString().equals(entry)).orElse(false)
        : link.isEmpty() && username.equals(entry);
  }

  public boolean isActive() {
    return status == Status.ACTIVE;
  }
}
