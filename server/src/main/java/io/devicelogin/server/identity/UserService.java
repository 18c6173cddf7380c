package io.devicelogin.server.identity;

import io.devicelogin.client.Secret;
import io.devicelogin.server.store.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Local users: creation, password checks, status. */
public final class UserService {
  private final Jdbc jdbc;
  private final PasswordHasher hasher;
  private final Clock clock;

  /**
   * Verified against when the user does not exist, so that timing does not tell which names exist:
   * same format and cost as a real hash, so the same Argon2 work, but made without deriving one (a
   * derivation here cost every start of the server about 0.3 s).
   */
  private final String decoyHash;

  public UserService(Jdbc jdbc, PasswordHasher hasher, Clock clock) {
    this.jdbc = jdbc;
    this.hasher = hasher;
    this.clock = clock;
    this.decoyHash = hasher.decoy();
  }

  public User create(
      String username, String displayName, String email, Secret password, boolean admin) {
    String id = UUID.randomUUID().toString();
    jdbc.update(
        "INSERT INTO users (id, username, password_hash, display_name, email, is_admin, status, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        id,
        username,
        hasher.hash(password),
        displayName,
        email,
        admin,
        User.Status.ACTIVE.name(),
        clock.instant());
    return find(id).orElseThrow();
  }

  public Optional<User> find(String id) {
    return jdbc.queryOne("SELECT * FROM users WHERE id = ?", UserService::map, id);
  }

  public Optional<User> findByUsername(String username) {
    return jdbc.queryOne("SELECT * FROM users WHERE username = ?", UserService::map, username);
  }

  public List<User> all() {
    return jdbc.query("SELECT * FROM users ORDER BY username", UserService::map);
  }

  /**
   * The user whose name and password these are, if the account exists; whether it is active is for
   * the caller to check and say.
   */
  public Optional<User> authenticate(String username, Secret password) {
    Optional<String> stored =
        jdbc.queryOne(
            "SELECT password_hash FROM users WHERE username = ?", r -> r.getString(1), username);
    boolean ok = hasher.verify(password, stored.orElse(decoyHash)) && stored.isPresent();
    return ok ? findByUsername(username) : Optional.empty();
  }

  public void setStatus(String userId, User.Status status) {
    jdbc.update("UPDATE users SET status = ? WHERE id = ?", status.name(), userId);
  }

  public void setPassword(String userId, Secret password) {
    jdbc.update("UPDATE users SET password_hash = ? WHERE id = ?", hasher.hash(password), userId);
  }

  private static User map(ResultSet r) throws SQLException {
    return new User(
        r.getString("id"),
        r.getString("username"),
        r.getString("display_name"),
        Optional.ofNullable(r.getString("email")),
        r.getBoolean("is_admin"),
        User.Status.valueOf(r.getString("status")),
        Jdbc.instant(r, "created_at"));
  }
}
