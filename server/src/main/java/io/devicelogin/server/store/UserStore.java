package io.devicelogin.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The rows of {@code users}: local accounts. */
public final class UserStore {
  private final Jdbc jdbc;

  public UserStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores a new, active account. */
  public void insert(
      String id,
      String username,
      String passwordHash,
      String displayName,
      String email,
      boolean admin,
      Instant createdAt) {
    jdbc.update(
        "INSERT INTO users (id, username, password_hash, display_name, email, is_admin, status, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        id,
        username,
        passwordHash,
        displayName,
        email,
        admin,
        User.Status.ACTIVE.name(),
        createdAt);
  }

  /**
   * Stores a new, active account linked to an upstream's {@code (upstream, subject)}, without a
   * password: it signs in only through that upstream.
   */
  public void insertLinked(
      String id,
      String username,
      String displayName,
      String email,
      boolean admin,
      User.Link link,
      Instant createdAt) {
    jdbc.update(
        "INSERT INTO users (id, username, password_hash, display_name, email, is_admin, status,"
            + " created_at, upstream, subject) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)",
        id,
        username,
        displayName,
        email,
        admin,
        User.Status.ACTIVE.name(),
        createdAt,
        link.upstream(),
        link.subject());
  }

  public Optional<User> find(String id) {
    return jdbc.queryOne("SELECT * FROM users WHERE id = ?", UserStore::map, id);
  }

  public Optional<User> findByUsername(String username) {
    return jdbc.queryOne("SELECT * FROM users WHERE username = ?", UserStore::map, username);
  }

  /** The account linked to this upstream's subject, the only way an upstream sign-in finds one. */
  public Optional<User> findByLink(User.Link link) {
    return jdbc.queryOne(
        "SELECT * FROM users WHERE upstream = ? AND subject = ?",
        UserStore::map,
        link.upstream(),
        link.subject());
  }

  /** Records a sign-in with a password at {@code at}. */
  public void signedInWithPassword(String id, Instant at) {
    jdbc.update("UPDATE users SET last_sign_in_at = ? WHERE id = ?", at, id);
  }

  /** What the upstream said of a linked account at its latest sign-in, {@code at}. */
  public void signedInThroughUpstream(
      String id,
      String displayName,
      Optional<String> email,
      boolean emailVerified,
      List<String> groups,
      Instant at) {
    jdbc.update(
        "UPDATE users SET display_name = ?, email = ?, email_verified = ?, groups_text = ?,"
            + " last_sign_in_at = ? WHERE id = ?",
        displayName,
        email.orElse(null),
        emailVerified,
        groupsText(groups),
        at,
        id);
  }

  /** Every account, by name. */
  public List<User> all() {
    return jdbc.query("SELECT * FROM users ORDER BY username", UserStore::map);
  }

  /**
   * The accounts whose username, name, e-mail or upstream subject holds {@code text} (any case), by
   * name, at most {@code limit}.
   */
  public List<User> search(String text, int limit) {
    String like = "%" + escapeLike(text.toLowerCase(Locale.ROOT)) + "%";
    return jdbc.query(
        "SELECT * FROM users WHERE LOWER(username) LIKE ? ESCAPE '\\' OR LOWER(display_name)"
            + " LIKE ? ESCAPE '\\' OR LOWER(email) LIKE ? ESCAPE '\\' OR LOWER(subject) LIKE ?"
            + " ESCAPE '\\' ORDER BY username LIMIT "
            + limit,
        UserStore::map,
        like,
        like,
        like,
        like);
  }

  private static String escapeLike(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  /**
   * The stored password hash of an account, to check a password against; empty for an account
   * linked to an upstream without a password.
   */
  public Optional<String> passwordHash(String username) {
    return jdbc.queryOne(
        "SELECT password_hash FROM users WHERE username = ? AND password_hash IS NOT NULL",
        r -> r.getString(1),
        username);
  }

  /** An account's status as the caller's transaction sees it; empty if there is no such account. */
  public Optional<User.Status> status(Connection c, String id) throws SQLException {
    List<String> status =
        Jdbc.query(c, "SELECT status FROM users WHERE id = ?", r -> r.getString(1), id);
    return status.stream().findFirst().map(User.Status::valueOf);
  }

  public void setStatus(String id, User.Status status) {
    jdbc.update("UPDATE users SET status = ? WHERE id = ?", status.name(), id);
  }

  public void setAdmin(String id, boolean admin) {
    jdbc.update("UPDATE users SET is_admin = ? WHERE id = ?", admin, id);
  }

  /** Removes the account's row; its grants and audit events keep its id. */
  public void delete(String id) {
    jdbc.update("DELETE FROM users WHERE id = ?", id);
  }

  public void setPasswordHash(String id, String passwordHash) {
    jdbc.update("UPDATE users SET password_hash = ? WHERE id = ?", passwordHash, id);
  }

  private static User map(ResultSet r) throws SQLException {
    return new User(
        r.getString("id"),
        r.getString("username"),
        r.getString("display_name"),
        Optional.ofNullable(r.getString("email")),
        r.getBoolean("is_admin"),
        User.Status.valueOf(r.getString("status")),
        Jdbc.instant(r, "created_at"),
        link(r),
        groups(r.getString("groups_text")),
        r.getBoolean("email_verified"),
        Optional.ofNullable(Jdbc.instant(r, "last_sign_in_at")));
  }

  private static Optional<User.Link> link(ResultSet r) throws SQLException {
    String upstream = r.getString("upstream");
    String subject = r.getString("subject");
    return upstream == null || subject == null
        ? Optional.empty()
        : Optional.of(new User.Link(upstream, subject));
  }

  /** Groups are kept one per line: names may hold spaces, commas and most else, not line breaks. */
  static String groupsText(List<String> groups) {
    return groups.isEmpty() ? null : String.join("\n", groups);
  }

  private static List<String> groups(String text) {
    return text == null || text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }
}
