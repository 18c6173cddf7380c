package io.devicelogin.server.store;

import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.DeviceAuthorizationRecord.Status;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The rows of {@code device_authorizations}. Every change of state is one conditional {@code
 * UPDATE} that says which states it leaves, so that of two requests racing for a row only one
 * changes it; each returns whether it did.
 */
public final class DeviceAuthorizationStore {
  private static final String SELECT = "SELECT * FROM device_authorizations";

  /** The person's answer, while the authorization is pending and unexpired. */
  private static final String DECIDE =
      "UPDATE device_authorizations SET status = ?, live_user_code = NULL, user_id = ?, decided_at = ?,"
          + " decision_ip = ?, decision_user_agent = ?, grant_id = ? WHERE id = ? AND status = 'PENDING'"
          + " AND expires_at > ?";

  private final Jdbc jdbc;

  public DeviceAuthorizationStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Frees {@code userCode} if the authorization holding it among the live codes has expired. */
  public void freeExpiredUserCode(String userCode, Instant now) {
    jdbc.update(
        "UPDATE device_authorizations SET live_user_code = NULL WHERE live_user_code = ? AND expires_at <= ?",
        userCode,
        now);
  }

  /**
   * Stores a new pending authorization, its user code live.
   *
   * @throws StoreException if the user code is live for another authorization, among others
   */
  public void insertPending(DeviceAuthorizationRecord pending) {
    jdbc.update(
        "INSERT INTO device_authorizations (id, device_code_hash, user_code, live_user_code, client_id, scope,"
            + " status, interval_seconds, created_at, expires_at, request_ip, request_user_agent, device_name)"
            + " VALUES (?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?)",
        pending.id(),
        pending.deviceCodeHash(),
        pending.userCode(),
        pending.userCode(),
        pending.clientId(),
        pending.scope().format(),
        (int) pending.interval().toSeconds(),
        pending.createdAt(),
        pending.expiresAt(),
        pending.requestIp(),
        Columns.userAgent(pending.requestUserAgent()),
        pending.deviceName());
  }

  /** The pending, unexpired authorization whose live user code this is. */
  public Optional<DeviceAuthorizationRecord> findLive(String userCode, Instant now) {
    return jdbc.queryOne(
        SELECT + " WHERE live_user_code = ? AND status = 'PENDING' AND expires_at > ?",
        DeviceAuthorizationStore::map,
        userCode,
        now);
  }

  /** Whether any authorization, live or not, was issued with this user code. */
  public boolean issuedWith(String userCode) {
    return jdbc.count("SELECT COUNT(*) FROM device_authorizations WHERE user_code = ?", userCode)
        > 0;
  }

  public Optional<DeviceAuthorizationRecord> find(String id) {
    return jdbc.queryOne(SELECT + " WHERE id = ?", DeviceAuthorizationStore::map, id);
  }

  /** The authorization of a device code, by the code's hash. */
  public Optional<DeviceAuthorizationRecord> findByDeviceCodeHash(String hash) {
    return jdbc.queryOne(
        SELECT + " WHERE device_code_hash = ?", DeviceAuthorizationStore::map, hash);
  }

  /** Approves a pending, unexpired authorization with its grant, in the caller's transaction. */
  public boolean approve(
      Connection c, String id, String userId, Instant now, Origin approver, String grantId)
      throws SQLException {
    return Jdbc.update(c, DECIDE, decision(Status.APPROVED, id, userId, now, approver, grantId))
        == 1;
  }

  /** Denies a pending, unexpired authorization. */
  public boolean deny(String id, String userId, Instant now, Origin approver) {
    return jdbc.update(DECIDE, decision(Status.DENIED, id, userId, now, approver, null)) == 1;
  }

  /**
   * Marks an approved, unexpired authorization redeemed, in the caller's transaction: true for the
   * one poll that wins it. The row stays locked until that transaction ends.
   */
  public boolean redeem(Connection c, String id, Instant now) throws SQLException {
    return Jdbc.update(
            c,
            "UPDATE device_authorizations SET status = 'REDEEMED' WHERE id = ?"
                + " AND status = 'APPROVED' AND expires_at > ?",
            id,
            now)
        == 1;
  }

  /** The authorizations still pending or approved whose time is up at {@code now}. */
  public List<DeviceAuthorizationRecord> findExpiring(Instant now) {
    return jdbc.query(
        SELECT + " WHERE status IN ('PENDING', 'APPROVED') AND expires_at <= ?",
        DeviceAuthorizationStore::map,
        now);
  }

  /** Marks a pending or approved authorization expired and frees its user code. */
  public boolean expire(String id) {
    return jdbc.update(
            "UPDATE device_authorizations SET status = 'EXPIRED', live_user_code = NULL WHERE id = ?"
                + " AND status IN ('PENDING', 'APPROVED')",
            id)
        == 1;
  }

  /** How many authorizations are pending and unexpired at {@code now}. */
  public long countPending(Instant now) {
    return jdbc.count(
        "SELECT COUNT(*) FROM device_authorizations WHERE status = 'PENDING' AND expires_at > ?",
        now);
  }

  private static Object[] decision(
      Status status, String id, String userId, Instant now, Origin approver, String grantId) {
    return new Object[] {
      status.name(),
      userId,
      now,
      approver.ip(),
      Columns.userAgent(approver.userAgent()),
      grantId,
      id,
      now
    };
  }

  private static DeviceAuthorizationRecord map(ResultSet r) throws SQLException {
    return new DeviceAuthorizationRecord(
        r.getString("id"),
        r.getString("device_code_hash"),
        r.getString("user_code"),
        r.getString("client_id"),
        Scope.parse(r.getString("scope")),
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
        r.getString("grant_id"),
        r.getString("device_name"));
  }
}
