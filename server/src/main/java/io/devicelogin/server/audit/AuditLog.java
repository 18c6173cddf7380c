package io.devicelogin.server.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.wire.Json;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.AuditStore;
import io.devicelogin.server.store.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: every state change of a device authorization or a grant is a row in {@code
 * audit_events} and one JSON line on the logger {@code devicelogin.audit}.
 */
public final class AuditLog {
  private static final Logger auditLogger = LoggerFactory.getLogger("devicelogin.audit");

  private final AuditStore store;
  private final Clock clock;

  public AuditLog(Jdbc jdbc, Clock clock) {
    this.store = new AuditStore(jdbc);
    this.clock = clock;
  }

  /** Records an event in its own transaction. */
  public void record(AuditEvent.Builder b) {
    AuditEvent e = b.at(clock.instant());
    store.insert(e);
    log(e);
  }

  /** Records an event inside the caller's transaction; it is logged only if that commits. */
  public Runnable record(Connection c, AuditEvent.Builder b) throws SQLException {
    AuditEvent e = b.at(clock.instant());
    store.insert(c, e);
    return () -> log(e);
  }

  /** How many events of any of {@code types} {@code who} caused after {@code since}. */
  public long count(Set<AuditEvent.Type> types, AuditEvent.Who who, String value, Instant since) {
    return store.count(types, who, value, since);
  }

  /** The oldest event of any of {@code types} that {@code who} caused after {@code since}. */
  public Optional<Instant> oldest(
      Set<AuditEvent.Type> types, AuditEvent.Who who, String value, Instant since) {
    return store.oldest(types, who, value, since);
  }

  /** The newest event of a type about {@code who}: when a pause of it was last lifted. */
  public Optional<Instant> newest(AuditEvent.Type type, AuditEvent.Who who, String value) {
    return store.newest(type, who, value);
  }

  /**
   * The sessions or address groups with at least {@code atLeast} events of {@code types} after
   * {@code since}, most first, at most {@code limit}.
   */
  public List<String> atLeast(
      Set<AuditEvent.Type> types, AuditEvent.Who who, Instant since, long atLeast, int limit) {
    return store.atLeast(types, who, since, atLeast, limit);
  }

  /** How many events of a type concerned an account after {@code since}. */
  public long countByUser(AuditEvent.Type type, String userId, Instant since) {
    return store.countByUser(type, userId, since);
  }

  /** The newest event of a type that concerned an account after {@code since}. */
  public Optional<Instant> newestByUser(AuditEvent.Type type, String userId, Instant since) {
    return store.newestByUser(type, userId, since);
  }

  /** Whether a browser session caused an event of a type for a device authorization. */
  public boolean existsBySession(
      AuditEvent.Type type, String sessionRef, String deviceAuthorizationId) {
    return store.existsBySession(type, sessionRef, deviceAuthorizationId);
  }

  /** Events, newest first, optionally filtered by user id, client id or grant id. */
  public List<AuditEvent> find(String userId, String clientId, String grantId, int limit) {
    return store.find(userId, clientId, grantId, limit);
  }

  private static void log(AuditEvent e) {
    if (!auditLogger.isInfoEnabled()) {
      return;
    }
    ObjectNode line = Json.newObject().put("at", e.at().toString()).put("event", e.event().name());
    put(line, "actor", e.actor());
    put(line, "user_id", e.userId());
    put(line, "client_id", e.clientId());
    put(line, "scope", e.scope());
    put(line, "ip", e.ip());
    put(line, "user_agent", e.userAgent());
    put(line, "session", e.sessionRef());
    put(line, "device_authorization_id", e.deviceAuthorizationId());
    put(line, "grant_id", e.grantId());
    put(line, "detail", e.detail());
    put(line, "idp", e.idp());
    put(line, "idp_subject", e.idpSubject());
    auditLogger.info(Json.write(line));
  }

  private static void put(ObjectNode line, String name, String value) {
    if (value != null) {
      line.put(name, value);
    }
  }
}
