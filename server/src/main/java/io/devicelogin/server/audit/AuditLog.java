package io.devicelogin.server.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.wire.Json;
import io.devicelogin.server.store.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: every state change of a device authorization or a grant is a row in {@code
 * audit_events} and one JSON line on the logger {@code devicelogin.audit}.
 */
public final class AuditLog {
  private static final Logger auditLogger = LoggerFactory.getLogger("devicelogin.audit");
  private static final String INSERT =
      "INSERT INTO audit_events (at, event, actor, user_id, client_id, scope, ip, user_agent, session_ref,"
          + " device_authorization_id, grant_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final Jdbc jdbc;
  private final Clock clock;

  public AuditLog(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Records an event in its own transaction. */
  public void record(AuditEvent.Builder b) {
    Instant at = clock.instant();
    jdbc.update(INSERT, args(b, at));
    log(b, at);
  }

  /** Records an event inside the caller's transaction; it is logged only if that commits. */
  public Runnable record(Connection c, AuditEvent.Builder b) throws SQLException {
    Instant at = clock.instant();
    Jdbc.update(c, INSERT, args(b, at));
    return () -> log(b, at);
  }

  /** How many events of a type an IP address caused within {@code window}. */
  public long countByIp(AuditEvent.Type type, String ip, Duration window) {
    return jdbc.count(
        "SELECT COUNT(*) FROM audit_events WHERE event = ? AND ip = ? AND at > ?",
        type.name(),
        ip,
        clock.instant().minus(window));
  }

  /** How many events of a type a browser session caused within {@code window}. */
  public long countBySession(AuditEvent.Type type, String sessionRef, Duration window) {
    return jdbc.count(
        "SELECT COUNT(*) FROM audit_events WHERE event = ? AND session_ref = ? AND at > ?",
        type.name(),
        sessionRef,
        clock.instant().minus(window));
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

  /** The oldest event of a type by IP within the window: when a lock-out ends. */
  public java.util.Optional<Instant> oldestByIp(AuditEvent.Type type, String ip, Duration window) {
    return jdbc.queryOne(
        "SELECT MIN(at) AS first FROM audit_events WHERE event = ? AND ip = ? AND at > ?",
        r -> Jdbc.instant(r, "first"),
        type.name(),
        ip,
        clock.instant().minus(window));
  }

  /** The oldest event of a type by session within the window. */
  public java.util.Optional<Instant> oldestBySession(
      AuditEvent.Type type, String sessionRef, Duration window) {
    return jdbc.queryOne(
        "SELECT MIN(at) AS first FROM audit_events WHERE event = ? AND session_ref = ? AND at > ?",
        r -> Jdbc.instant(r, "first"),
        type.name(),
        sessionRef,
        clock.instant().minus(window));
  }

  /** Events, newest first, optionally filtered by user id, client id or grant id. */
  public List<AuditEvent> find(String userId, String clientId, String grantId, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM audit_events WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (userId != null) {
      sql.append(" AND user_id = ?");
      args.add(userId);
    }
    if (clientId != null) {
      sql.append(" AND client_id = ?");
      args.add(clientId);
    }
    if (grantId != null) {
      sql.append(" AND grant_id = ?");
      args.add(grantId);
    }
    sql.append(" ORDER BY id DESC LIMIT ").append(Math.max(1, Math.min(limit, 1000)));
    return jdbc.query(sql.toString(), AuditLog::map, args.toArray());
  }

  private static Object[] args(AuditEvent.Builder b, Instant at) {
    return new Object[] {
      at,
      b.type.name(),
      b.actor,
      b.userId,
      b.clientId,
      b.scope,
      b.ip,
      b.userAgent,
      b.sessionRef,
      b.deviceAuthorizationId,
      b.grantId,
      b.detail
    };
  }

  private static void log(AuditEvent.Builder b, Instant at) {
    if (!auditLogger.isInfoEnabled()) {
      return;
    }
    ObjectNode line = Json.newObject().put("at", at.toString()).put("event", b.type.name());
    put(line, "actor", b.actor);
    put(line, "user_id", b.userId);
    put(line, "client_id", b.clientId);
    put(line, "scope", b.scope);
    put(line, "ip", b.ip);
    put(line, "user_agent", b.userAgent);
    put(line, "session", b.sessionRef);
    put(line, "device_authorization_id", b.deviceAuthorizationId);
    put(line, "grant_id", b.grantId);
    put(line, "detail", b.detail);
    auditLogger.info(Json.write(line));
  }

  private static void put(ObjectNode line, String name, String value) {
    if (value != null) {
      line.put(name, value);
    }
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
