package io.devicelogin.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The rows of {@code audit_events}: written once, never changed. */
public final class AuditStore {
  private static final String INSERT =
      "INSERT INTO audit_events (at, event, actor, user_id, client_id, scope, ip, user_agent, session_ref,"
          + " device_authorization_id, grant_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** The columns an attempt limit counts by: who tried, by address or by browser session. */
  private static final String IP = "ip";

  private static final String SESSION = "session_ref";

  /** The column a per-account limit counts by: the account the attempt named. */
  private static final String USER = "user_id";

  private final Jdbc jdbc;

  public AuditStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores an event in its own transaction. */
  public void insert(AuditEvent e) {
    jdbc.update(INSERT, args(e));
  }

  /** Stores an event inside the caller's transaction. */
  public void insert(Connection c, AuditEvent e) throws SQLException {
    Jdbc.update(c, INSERT, args(e));
  }

  /** How many events of a type an IP address caused since {@code since}. */
  public long countByIp(AuditEvent.Type type, String ip, Instant since) {
    return count(type, IP, ip, since);
  }

  /** How many events of a type a browser session caused since {@code since}. */
  public long countBySession(AuditEvent.Type type, String sessionRef, Instant since) {
    return count(type, SESSION, sessionRef, since);
  }

  /** The oldest event of a type by an IP address since {@code since}. */
  public Optional<Instant> oldestByIp(AuditEvent.Type type, String ip, Instant since) {
    return oldest(type, IP, ip, since);
  }

  /** The oldest event of a type by a browser session since {@code since}. */
  public Optional<Instant> oldestBySession(AuditEvent.Type type, String sessionRef, Instant since) {
    return oldest(type, SESSION, sessionRef, since);
  }

  /** How many events of a type concerned an account since {@code since}. */
  public long countByUser(AuditEvent.Type type, String userId, Instant since) {
    return count(type, USER, userId, since);
  }

  /** The newest event of a type that concerned an account since {@code since}. */
  public Optional<Instant> newestByUser(AuditEvent.Type type, String userId, Instant since) {
    return first(type, USER, userId, since, "DESC");
  }

  /** Whether a browser session caused an event of a type for a device authorization. */
  public boolean existsBySession(
      AuditEvent.Type type, String sessionRef, String deviceAuthorizationId) {
    return jdbc.count(
            "SELECT COUNT(*) FROM audit_events WHERE event = ? AND session_ref = ?"
                + " AND device_authorization_id = ?",
            type.name(),
            sessionRef,
            deviceAuthorizationId)
        > 0;
  }

  /** Events, newest first, optionally filtered by user id, client id or grant id. */
  public List<AuditEvent> find(String userId, String clientId, String grantId, int limit) {
    return new Filter("audit_events")
        .equal("user_id", userId)
        .equal("client_id", clientId)
        .equal("grant_id", grantId)
        .newestFirst(jdbc, "id", limit, AuditStore::map);
  }

  private long count(AuditEvent.Type type, String column, String value, Instant since) {
    return jdbc.count(
        "SELECT COUNT(*) FROM audit_events WHERE event = ? AND " + column + " = ? AND at > ?",
        type.name(),
        value,
        since);
  }

  private Optional<Instant> oldest(
      AuditEvent.Type type, String column, String value, Instant since) {
    return first(type, column, value, since, "ASC");
  }

  /**
   * The time of the first event in {@code order}; no row at all when there is none (an aggregate
   * such as {@code MIN} would answer one row holding NULL).
   */
  private Optional<Instant> first(
      AuditEvent.Type type, String column, String value, Instant since, String order) {
    return jdbc.queryOne(
        "SELECT at FROM audit_events WHERE event = ? AND "
            + column
            + " = ? AND at > ? ORDER BY at "
            + order
            + " LIMIT 1",
        r -> Jdbc.instant(r, "at"),
        type.name(),
        value,
        since);
  }

  private static Object[] args(AuditEvent e) {
    return new Object[] {
      e.at(),
      e.event().name(),
      e.actor(),
      e.userId(),
      e.clientId(),
      e.scope(),
      e.ip(),
      e.userAgent(),
      e.sessionRef(),
      e.deviceAuthorizationId(),
      e.grantId(),
      e.detail()
    };
  }

  private static AuditEvent map(ResultSet r) throws SQLException {
    return new AuditEvent(
        r.getLong("id"),
        Jdbc.instant(r, "at"),
        AuditEvent.Type.valueOf(r.getString("event")),
        r.getString("actor"),
        r.getString("user_id"),
        r.getString("client_id"),
        r.getString("scope"),
        r.getString("ip"),
        r.getString("user_agent"),
        r.getString("session_ref"),
        r.getString("device_authorization_id"),
        r.getString("grant_id"),
        r.getString("detail"));
  }
}
