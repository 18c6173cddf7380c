package io.devicelogin.server.admin;

import io.devicelogin.client.Secret;
import io.devicelogin.server.admin.AdminRefusal.Kind;
import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.grant.TokenService;
import io.devicelogin.server.identity.UserService;
import io.devicelogin.server.policy.Administrators;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.Grant;
import io.devicelogin.server.store.StoreException;
import io.devicelogin.server.store.User;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The administration of accounts, the same for {@code devicelogin server users …} and for
 * /admin/users: add, list, show, disable, enable, unlock, reset a password, delete, make or unmake
 * an administrator. Each change is an audit event with the administrator as its actor. Disabling or
 * deleting an account revokes all its grants, so its refresh tokens stop working at once and its
 * access tokens are refused by introspection and /userinfo. No change may leave the server without
 * an active administrator.
 */
public final class UserAdministration {
  /** At most this many accounts are listed at once. */
  public static final int LIST_LIMIT = 500;

  /** The database's {@code users} columns: username 100, display name 200, e-mail 255. */
  private static final Pattern USERNAME = Pattern.compile("[^\\s\\p{Cntrl}]{1,100}");

  private static final Pattern EMAIL = Pattern.compile("[^\\s@\\p{Cntrl}]+@[^\\s@\\p{Cntrl}]+");

  private final UserService users;
  private final TokenService tokens;
  private final AuditLog audit;
  private final Administrators admins;

  public UserAdministration(
      UserService users, TokenService tokens, AuditLog audit, Administrators admins) {
    this.users = users;
    this.tokens = tokens;
    this.audit = audit;
    this.admins = admins;
  }

  /**
   * An account as administrators see it.
   *
   * @param admin whether it is an administrator, by its flag or by the configuration
   * @param namedInConfig whether the configuration's {@code "admins"} names it
   * @param activeGrants how many of its grants are active
   */
  public record Account(User user, boolean admin, boolean namedInConfig, int activeGrants) {}

  /** Whether {@code user} is an administrator: the one place the pages and the command ask. */
  public boolean isAdmin(User user) {
    return admins.isAdmin(user);
  }

  /** Every account, or those whose username, name, e-mail or subject holds {@code search}. */
  public List<Account> list(Optional<String> search) {
    List<User> found =
        search.filter(s -> !s.isBlank()).isPresent()
            ? users.search(search.get().strip(), LIST_LIMIT)
            : users.all().stream().limit(LIST_LIMIT).toList();
    return found.stream().map(this::account).toList();
  }

  /**
   * The account named {@code username}.
   *
   * @throws AdminRefusal NO_SUCH_ACCOUNT
   */
  public Account show(String username) {
    return account(named(username));
  }

  /**
   * Adds an account with a password, or linked to an upstream account without one ({@code link}),
   * which then signs in only through that upstream.
   *
   * @throws AdminRefusal INVALID for a malformed name or address, or with both or neither of a
   *     password and a link; EXISTS when the name or the upstream account is taken
   */
  public User add(
      String username,
      Optional<String> displayName,
      Optional<String> email,
      boolean admin,
      Optional<User.Link> link,
      Optional<Secret> password,
      Administrator by) {
    check(username, displayName, email, link);
    if (link.isPresent() == password.isPresent()) {
      throw new AdminRefusal(
          Kind.INVALID,
          "an account has either a password or a linked upstream account (--upstream and"
              + " --subject), not both and not neither");
    }
    if (users.findByUsername(username).isPresent()) {
      throw taken(username);
    }
    String name = displayName.filter(n -> !n.isBlank()).orElse(username);
    User created;
    try {
      created =
          link.isPresent()
              ? users.createLinked(username, name, email.orElse(null), link.get(), admin)
              : users.create(username, name, email.orElse(null), password.get(), admin);
    } catch (StoreException e) {
      if (!e.isUniqueViolation()) {
        throw e;
      }
      throw link.isPresent() && users.findByUsername(username).isEmpty()
          ? new AdminRefusal(
              Kind.EXISTS, "the upstream account " + link.get() + " is linked to another account")
          : taken(username);
    }
    record(
        AuditEvent.Type.ACCOUNT_CREATED,
        by,
        created,
        "account "
            + username
            + " created"
            + (admin ? " as an administrator" : "")
            + link.map(l -> ", linked to " + l).orElse(", with a password"));
    return created;
  }

  /**
   * Disables an account and revokes all its grants; returns how many were active.
   *
   * @throws AdminRefusal NO_SUCH_ACCOUNT, LAST_ADMIN
   */
  public int disable(String username, Administrator by) {
    User user = named(username);
    refuseToRemoveTheLastAdmin(user, "disable");
    // The status first: an approval or a refresh that races this sees the account disabled.
    users.setStatus(user.id(), User.Status.DISABLED);
    int revoked = revokeAll(user, by, "account disabled by an administrator");
    record(
        AuditEvent.Type.ACCOUNT_DISABLED,
        by,
        user,
        "account " + username + " disabled; " + revoked + " grant(s) revoked");
    return revoked;
  }

  /**
   * Makes a disabled or locked account active again; its revoked grants stay revoked.
   *
   * @throws AdminRefusal NO_SUCH_ACCOUNT
   */
  public void enable(String username, Administrator by) {
    User user = named(username);
    users.setStatus(user.id(), User.Status.ACTIVE);
    record(AuditEvent.Type.ACCOUNT_ENABLED, by, user, "account " + username + " enabled");
  }

  /**
   * Lifts the account's sign-in delay (its earlier failed sign-ins no longer count) and makes a
   * LOCKED account active; a disabled one stays disabled.
   *
   * @throws AdminRefusal NO_SUCH_ACCOUNT
   */
  public void unlock(String username, Administrator by) {
    User user = named(username);
    if (user.status() == User.Status.LOCKED) {
      users.setStatus(user.id(), User.Status.ACTIVE);
    }
    record(
        AuditEvent.Type.ACCOUNT_UNLOCKED,
        by,
        user,
        "account "
            + username
            + " unlocked; earlier failed sign-ins no longer delay the next"
            + (user.status() == User.Status.DISABLED ? " (it stays disabled)" : ""));
  }

  /**
   * Sets a new password; the account's grants stay as they are.
   *
   * @throws AdminRefusal NO_SUCH_ACCOUNT
   */
  public void resetPassword(String username, Secret password, Administrator by) {
    User user = named(username);
    users.setPassword(user.id(), password);
    record(AuditEvent.Type.PASSWORD_RESET, by, user, "password of " + username + " reset");
  }

  /**
   * Revokes all the account's grants and removes it; its audit events stay. Returns how many grants
   * were active.
   *
   * @throws AdminRefusal NO_SUCH_ACCOUNT, LAST_ADMIN
   */
  public int delete(String username, Administrator by) {
    User user = named(username);
    refuseToRemoveTheLastAdmin(user, "delete");
    users.setStatus(user.id(), User.Status.DISABLED);
    int revoked = revokeAll(user, by, "account deleted by an administrator");
    users.delete(user.id());
    record(
        AuditEvent.Type.ACCOUNT_DELETED,
        by,
        user,
        "account " + username + " deleted; " + revoked + " grant(s) revoked");
    return revoked;
  }

  /**
   * Sets or clears the account's administrator flag.
   *
   * @throws AdminRefusal NO_SUCH_ACCOUNT; LAST_ADMIN or NAMED_IN_CONFIG when clearing it
   */
  public void setAdmin(String username, boolean admin, Administrator by) {
    User user = named(username);
    if (!admin) {
      if (admins.named(user)) {
        throw new AdminRefusal(
            Kind.NAMED_IN_CONFIG,
            username
                + " is an administrator because the configuration's \"admins\" names it;"
                + " remove it there");
      }
      refuseToRemoveTheLastAdmin(user, "unmake");
    }
    users.setAdmin(user.id(), admin);
    record(
        admin ? AuditEvent.Type.ADMIN_GRANTED : AuditEvent.Type.ADMIN_REMOVED,
        by,
        user,
        username + (admin ? " made an administrator" : " is no longer an administrator"));
  }

  private Account account(User user) {
    int active = (int) tokens.grantsOf(user.id()).stream().filter(Grant::active).count();
    return new Account(user, admins.isAdmin(user), admins.named(user), active);
  }

  private User named(String username) {
    return users
        .findByUsername(username == null ? "" : username)
        .orElseThrow(
            () -> new AdminRefusal(Kind.NO_SUCH_ACCOUNT, "there is no account named " + username));
  }

  /** Refuses a change that would leave no active administrator. */
  private void refuseToRemoveTheLastAdmin(User user, String verb) {
    if (!user.isActive() || !admins.isAdmin(user)) {
      return;
    }
    boolean another =
        users.all().stream()
            .anyMatch(u -> !u.id().equals(user.id()) && u.isActive() && admins.isAdmin(u));
    if (!another) {
      throw new AdminRefusal(
          Kind.LAST_ADMIN,
          "cannot "
              + verb
              + " "
              + user.username()
              + ": it is the last active administrator; make another account an administrator"
              + " first");
    }
  }

  private int revokeAll(User user, Administrator by, String reason) {
    int revoked = 0;
    for (Grant g : tokens.grantsOf(user.id())) {
      if (g.active() && tokens.revokeGrant(g.id(), by.actor(), reason, by.origin())) {
        revoked++;
      }
    }
    return revoked;
  }

  private void record(AuditEvent.Type type, Administrator by, User user, String detail) {
    audit.record(
        AuditEvent.by(type, by.actor()).user(user.id()).origin(by.origin()).detail(detail));
  }

  private static void check(
      String username,
      Optional<String> displayName,
      Optional<String> email,
      Optional<User.Link> link) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw new AdminRefusal(
          Kind.INVALID, "a username is 1 to 100 characters without spaces or control characters");
    }
    if (displayName
        .map(n -> n.length() > 200 || n.chars().anyMatch(Character::isISOControl))
        .orElse(false)) {
      throw new AdminRefusal(Kind.INVALID, "a name is at most 200 characters on one line");
    }
    if (email.map(e -> e.length() > 255 || !EMAIL.matcher(e).matches()).orElse(false)) {
      throw new AdminRefusal(Kind.INVALID, "an e-mail address looks like name@example.com");
    }
    if (link.map(
            l ->
                l.upstream().isBlank()
                    || l.upstream().length() > 64
                    || l.subject().isBlank()
                    || l.subject().length() > 255)
        .orElse(false)) {
      throw new AdminRefusal(
          Kind.INVALID,
          "--upstream is the upstream's name in the configuration (at most 64 characters) and"
              + " --subject the account's subject there (at most 255)");
    }
  }

  private static AdminRefusal taken(String username) {
    return new AdminRefusal(Kind.EXISTS, "an account named " + username + " exists already");
  }
}
