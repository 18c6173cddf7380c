package io.devicelogin.server.store;

import io.devicelogin.client.wire.Scope;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The rows of {@code grants} and of the {@code refresh_tokens} each grant produced. Tokens are
 * found by their SHA-256 only. Changes are conditional on the current status, so that of two
 * requests racing for a row only one changes it; each returns whether it did.
 */
public final class GrantStore {
  private static final String SELECT = "SELECT * FROM grants";

  private final Jdbc jdbc;

  public GrantStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores a new, active grant in the caller's transaction; created when it was approved. */
  public void insert(Connection c, Grant grant) throws SQLException {
    Jdbc.update(
        c,
        "INSERT INTO grants (id, user_id, client_id, scope, status, device_authorization_id, requested_at,"
            + " request_ip, request_user_agent, approved_at, approve_ip, approve_user_agent, created_at, expires_at,"
            + " device_name, idp, idp_subject, auth_time, amr)"
            + " VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        grant.id(),
        grant.userId(),
        grant.clientId(),
        grant.scope().format(),
        grant.deviceAuthorizationId(),
        grant.requestedAt(),
        grant.requestIp(),
        Columns.userAgent(grant.requestUserAgent()),
        grant.approvedAt(),
        grant.approveIp(),
        Columns.userAgent(grant.approveUserAgent()),
        grant.approvedAt(),
        grant.expiresAt(),
        grant.deviceName(),
        grant.idp(),
        grant.idpSubject(),
        grant.authTime(),
        grant.amr().isEmpty() ? null : String.join(" ", grant.amr()));
  }

  /**
   * Records that an active grant is used at {@code now}, in the caller's transaction; false if it
   * is not active. The grant's row stays locked until that transaction ends, so that a revocation
   * waits for the tokens being issued and then revokes them too.
   */
  public boolean use(Connection c, String id, Instant now) throws SQLException {
    return Jdbc.update(
            c, "UPDATE grants SET last_used_at = ? WHERE id = ? AND status = 'ACTIVE'", now, id)
        == 1;
  }

  public Optional<Grant> find(String id) {
    return jdbc.queryOne(SELECT + " WHERE id = ?", GrantStore::map, id);
  }

  /** A grant as the caller's transaction sees it. */
  public Optional<Grant> find(Connection c, String id) throws SQLException {
    return Jdbc.query(c, SELECT + " WHERE id = ?", GrantStore::map, id).stream().findFirst();
  }

  /** A person's grants, newest first. */
  public List<Grant> ofUser(String userId) {
    return jdbc.query(
        SELECT + " WHERE user_id = ? ORDER BY approved_at DESC", GrantStore::map, userId);
  }

  /** Grants, newest first, optionally of one user or one client, at most {@code limit}. */
  public List<Grant> list(String userId, String clientId, int limit) {
    return new Filter("grants")
        .equal("user_id", userId)
        .equal("client_id", clientId)
        .newestFirst(jdbc, "approved_at", limit, GrantStore::map);
  }

  /**
   * Revokes an active grant and then its active refresh tokens, each statement committed by itself;
   * true if the grant was active.
   */
  public boolean revoke(String id, Instant now, String by, String reason) {
    int changed =
        jdbc.update(
            "UPDATE grants SET status = 'REVOKED', revoked_at = ?, revoked_by = ?, revoke_reason = ?"
                + " WHERE id = ? AND status = 'ACTIVE'",
            now,
            by,
            reason,
            id);
    jdbc.update(
        "UPDATE refresh_tokens SET status = 'REVOKED' WHERE grant_id = ? AND status = 'ACTIVE'",
        id);
    return changed == 1;
  }

  /** Stores a new, active refresh token of a grant in the caller's transaction. */
  public void insertRefreshToken(
      Connection c,
      String tokenHash,
      String grantId,
      Scope scope,
      Instant createdAt,
      Instant idleExpiresAt)
      throws SQLException {
    Jdbc.update(
        c,
        "INSERT INTO refresh_tokens (token_hash, grant_id, status, scope, created_at, idle_expires_at)"
            + " VALUES (?, ?, 'ACTIVE', ?, ?, ?)",
        tokenHash,
        grantId,
        scope.format(),
        createdAt,
        idleExpiresAt);
  }

  public Optional<RefreshToken> findRefreshToken(String tokenHash) {
    return jdbc.queryOne(
        "SELECT grant_id, status, scope, idle_expires_at FROM refresh_tokens WHERE token_hash = ?",
        r ->
            new RefreshToken(
                r.getString("grant_id"),
                RefreshToken.Status.valueOf(r.getString("status")),
                Scope.parse(r.getString("scope")),
                Jdbc.instant(r, "idle_expires_at")),
        tokenHash);
  }

  /** The grant of a refresh token, whatever the token's status. */
  public Optional<String> grantOfRefreshToken(String tokenHash) {
    return jdbc.queryOne(
        "SELECT grant_id FROM refresh_tokens WHERE token_hash = ?", r -> r.getString(1), tokenHash);
  }

  /**
   * Marks an active refresh token rotated, in the caller's transaction: true for the one request
   * that wins it.
   */
  public boolean rotate(Connection c, String tokenHash) throws SQLException {
    return Jdbc.update(
            c,
            "UPDATE refresh_tokens SET status = 'ROTATED' WHERE token_hash = ? AND status = 'ACTIVE'",
            tokenHash)
        == 1;
  }

  private static Grant map(ResultSet r) throws SQLException {
    return new Grant(
        r.getString("id"),
        r.getString("user_id"),
        r.getString("client_id"),
        Scope.parse(r.getString("scope")),
        "ACTIVE".equals(r.getString("status")),
        r.getString("device_authorization_id"),
        Jdbc.instant(r, "requested_at"),
        r.getString("request_ip"),
        r.getString("request_user_agent"),
        Jdbc.instant(r, "approved_at"),
        r.getString("approve_ip"),
        r.getString("approve_user_agent"),
        Jdbc.instant(r, "expires_at"),
        Jdbc.instant(r, "last_used_at"),
        Jdbc.instant(r, "revoked_at"),
        r.getString("revoked_by"),
        r.getString("revoke_reason"),
        r.getString("device_name"),
        r.getString("idp"),
        r.getString("idp_subject"),
        Jdbc.instant(r, "auth_time"),
        words(r.getString("amr")));
  }

  /** A column of words separated by spaces, such as {@code amr}. */
  private static List<String> words(String column) {
    return column == null || column.isBlank() ? List.of() : List.of(column.trim().split(" +"));
  }
}
