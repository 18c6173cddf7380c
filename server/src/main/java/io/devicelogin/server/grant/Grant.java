package io.devicelogin.server.grant;

import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.store.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Set;

/** A person's approval of a client's access, the parent of every token it produced. */
public record Grant(
    String id,
    String userId,
    String clientId,
    Set<String> scope,
    boolean active,
    String deviceAuthorizationId,
    Instant requestedAt,
    String requestIp,
    String requestUserAgent,
    Instant approvedAt,
    String approveIp,
    String approveUserAgent,
    Instant expiresAt,
    Instant lastUsedAt,
    Instant revokedAt,
    String revokedBy,
    String revokeReason) {

  public String scopeString() {
    return Scope.of(scope).format();
  }

  static Grant map(ResultSet r) throws SQLException {
    Set<String> scope = Scope.parse(r.getString("scope")).asSet();
    return new Grant(
        r.getString("id"),
        r.getString("user_id"),
        r.getString("client_id"),
        scope,
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
        r.getString("revoke_reason"));
  }
}
