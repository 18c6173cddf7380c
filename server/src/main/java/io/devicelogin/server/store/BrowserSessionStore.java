package io.devicelogin.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The rows of {@code browser_sessions}, each named by the SHA-256 of its cookie value. A row is
 * live while it has not expired and was used after {@code idleSince}, the start of the idle
 * timeout.
 */
public final class BrowserSessionStore {
  private final Jdbc jdbc;

  public BrowserSessionStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores a new, anonymous session, opened from {@code ip}. */
  public void insert(BrowserSession session, String ip) {
    jdbc.update(
        "INSERT INTO browser_sessions (id_hash, ref, user_id, csrf_token, created_at, expires_at,"
            + " last_seen_at, created_ip) VALUES (?, ?, NULL, ?, ?, ?, ?, ?)",
        session.idHash(),
        session.ref(),
        session.csrfToken(),
        session.createdAt(),
        session.expiresAt(),
        session.lastSeenAt(),
        ip);
  }

  /** The session whose id has this hash, if it is live at {@code now}. */
  public Optional<BrowserSession> findLive(String idHash, Instant now, Instant idleSince) {
    return jdbc.queryOne(
        "SELECT * FROM browser_sessions WHERE id_hash = ? AND expires_at > ? AND last_seen_at > ?",
        BrowserSessionStore::map,
        idHash,
        now,
        idleSince);
  }

  /** The live anonymous sessions opened from one address, and the soonest that one of them ends. */
  public record FromAddress(
      long live, Optional<Instant> firstExpiry, Optional<Instant> firstSeen) {}

  /** {@link FromAddress} for {@code ip} at {@code now}. */
  public FromAddress anonymousFrom(String ip, Instant now, Instant idleSince) {
    return jdbc.queryOne(
            "SELECT COUNT(*), MIN(expires_at), MIN(last_seen_at) FROM browser_sessions"
                + " WHERE created_ip = ? AND user_id IS NULL AND expires_at > ? AND last_seen_at > ?",
            r ->
                new FromAddress(
                    r.getLong(1),
                    Optional.ofNullable(Jdbc.instant(r, 2)),
                    Optional.ofNullable(Jdbc.instant(r, 3))),
            ip,
            now,
            idleSince)
        .orElse(new FromAddress(0, Optional.empty(), Optional.empty()));
  }

  /**
   * Gives the session stored under {@code oldIdHash} the id, user, CSRF token, expiry, last use,
   * authentication time and method of {@code rotated}; false if there is no such session any more.
   */
  public boolean rotate(String oldIdHash, BrowserSession rotated) {
    return jdbc.update(
            "UPDATE browser_sessions SET id_hash = ?, user_id = ?, csrf_token = ?, expires_at = ?,"
                + " last_seen_at = ?, authenticated_at = ?, idp = ?, amr = ? WHERE id_hash = ?",
            rotated.idHash(),
            rotated.userId().orElse(null),
            rotated.csrfToken(),
            rotated.expiresAt(),
            rotated.lastSeenAt(),
            rotated.authenticatedAt().orElse(null),
            rotated.idp().orElse(null),
            rotated.amr().orElse(null),
            oldIdHash)
        == 1;
  }

  /** Marks the session used at {@code now}. */
  public void seen(String idHash, Instant now) {
    jdbc.update("UPDATE browser_sessions SET last_seen_at = ? WHERE id_hash = ?", now, idHash);
  }

  /** Records that the session's password was typed again at {@code now}. */
  public void authenticated(String idHash, Instant now) {
    jdbc.update(
        "UPDATE browser_sessions SET authenticated_at = ?, last_seen_at = ? WHERE id_hash = ?",
        now,
        now,
        idHash);
  }

  public void delete(String idHash) {
    jdbc.update("DELETE FROM browser_sessions WHERE id_hash = ?", idHash);
  }

  /** Deletes the sessions expired, or idle since before {@code idleSince}, at {@code now}. */
  public int deleteExpired(Instant now, Instant idleSince) {
    return jdbc.update(
        "DELETE FROM browser_sessions WHERE expires_at <= ? OR last_seen_at <= ?", now, idleSince);
  }

  private static BrowserSession map(ResultSet r) throws SQLException {
    return new BrowserSession(
        r.getString("id_hash"),
        r.getString("ref"),
        Optional.ofNullable(r.getString("user_id")),
        r.getString("csrf_token"),
        Jdbc.instant(r, "created_at"),
        Jdbc.instant(r, "expires_at"),
        Jdbc.instant(r, "last_seen_at"),
        Optional.ofNullable(Jdbc.instant(r, "authenticated_at")),
        Optional.ofNullable(r.getString("idp")),
        Optional.ofNullable(r.getString("amr")));
  }
}
