package io.devicelogin.server.admin;

/**
 * An administrative change refused, with why in a sentence for the person: the command prints it
 * and exits with its code, /admin shows it as a page. Nothing was changed.
 */
public final class AdminRefusal extends RuntimeException {
  /** Why, as a caller acts on it. */
  public enum Kind {
    /** No account has that name. */
    NO_SUCH_ACCOUNT,
    /** An account already has that name, or that upstream account is linked already. */
    EXISTS,
    /** The change would leave no active administrator. */
    LAST_ADMIN,
    /** The configuration's "admins" names the account: the flag cannot take the role away. */
    NAMED_IN_CONFIG,
    /** A value that cannot be an account's: an empty name, a malformed e-mail address. */
    INVALID
  }

  private final Kind kind;

  AdminRefusal(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
