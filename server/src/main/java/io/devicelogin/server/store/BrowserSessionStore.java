package io.devicelogin.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** The rows of {@code browser_sessions}, each named by the SHA-256 of its cookie value. */
public final class BrowserSessionStore {
  private final Jdbc jdbc;

  public BrowserSessionStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores a new, anonymous session. */
  public void insert(BrowserSession session) {
    jdbc.update(
        "INSERT INTO browser_sessions (id_hash, ref, user_id, csrf_token, created_at, expires_at)"
            + " VALUES (?, ?, NULL, ?, ?, ?)",
        session.idHash(),
        session.ref(),
        session.csrfToken(),
        session.createdAt(),
        session.expiresAt());
  }

  /** The session whose id has this hash, if it is live at {@code now}. */
  public Optional<BrowserSession> findLive(String idHash, Instant now) {
    return jdbc.queryOne(
        "SELECT * FROM browser_sessions WHERE id_hash = ? AND expires_at > ?",
        BrowserSessionStore::map,
        idHash,
        now);
  }

  /**
   * Gives the session stored under {@code oldIdHash} the id, user, CSRF token and expiry of {@code
   * rotated}; false if there is no such session any more.
   */
  public boolean rotate(String oldIdHash, BrowserSession rotated) {
    return jdbc.update(
            "UPDATE browser_sessions SET id_hash = ?, user_id = ?, csrf_token = ?, expires_at = ? WHERE id_hash = ?",
            rotated.idHash(),
            rotated.userId().orElse(null),
            rotated.csrfToken(),
            rotated.expiresAt(),
            oldIdHash)
        == 1;
  }

  public void delete(String idHash) {
    jdbc.update("DELETE FROM browser_sessions WHERE id_hash = ?", idHash);
  }

  /** Deletes the sessions expired at {@code now}; returns how many. */
  public int deleteExpired(Instant now) {
    return jdbc.update("DELETE FROM browser_sessions WHERE expires_at <= ?", now);
  }

  private static BrowserSession map(ResultSet r) throws SQLException {
    return new BrowserSession(
        r.getString("id_hash"),
        r.getString("ref"),
        Optional.ofNullable(r.getString("user_id")),
        r.getString("csrf_token"),
        Jdbc.instant(r, "created_at"),
        Jdbc.instant(r, "expires_at"));
  }
}
