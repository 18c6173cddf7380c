package io.devicelogin.server.device;

import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.store.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** A device authorization as stored: never the device code itself, only its hash. */
public record DeviceAuthorizationRecord(
    String id,
    String deviceCodeHash,
    String userCode,
    String clientId,
    Set<String> scope,
    Status status,
    Duration interval,
    Instant createdAt,
    Instant expiresAt,
    String requestIp,
    String requestUserAgent,
    String userId,
    Instant decidedAt,
    String decisionIp,
    String decisionUserAgent,
    String grantId) {

  /** The life of a device authorization. */
  public enum Status {
    /** Waiting for the person. */
    PENDING,
    /** Approved; the next poll receives tokens. */
    APPROVED,
    /** Denied by the person. */
    DENIED,
    /** Tokens were issued; any further poll is a replay. */
    REDEEMED,
    /** Expired before it was redeemed. */
    EXPIRED
  }

  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  public String scopeString() {
    return Scope.of(scope).format();
  }

  static DeviceAuthorizationRecord map(ResultSet r) throws SQLException {
    return new DeviceAuthorizationRecord(
        r.getString("id"),
        r.getString("device_code_hash"),
        r.getString("user_code"),
        r.getString("client_id"),
        Scope.parse(r.getString("scope")).asSet(),
        Status.valueOf(r.getString("status")),
        Duration.ofSeconds(r.getInt("interval_seconds")),
        Jdbc.instant(r, "created_at"),
        Jdbc.instant(r, "expires_at"),
        r.getString("request_ip"),
        r.getString("request_user_agent"),
        r.getString("user_id"),
        Jdbc.instant(r, "decided_at"),
        r.getString("decision_ip"),
        r.getString("decision_user_agent"),
        r.getString("grant_id"));
  }
}
