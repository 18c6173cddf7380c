package io.devicelogin.server.store;

import io.devicelogin.server.protocol.AddressGroup;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The rows of {@code audit_events}: written once, never changed. */
public final class AuditStore {
  private static final String INSERT =
      "INSERT INTO audit_events (at, event, actor, user_id, client_id, scope, ip, address_group,"
          + " user_agent, session_ref, device_authorization_id, grant_id, detail, idp, idp_subject)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

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

  /** How many events of any of {@code types} {@code who} caused after {@code since}. */
  public long count(Set<AuditEvent.Type> types, AuditEvent.Who who, String value, Instant since) {
    return jdbc.count(
        "SELECT COUNT(*) FROM audit_events WHERE event IN ("
            + placeholders(types)
            + ") AND "
            + column(who)
            + " = ? AND at > ?",
        args(types, value, since));
  }

  /** The oldest event of any of {@code types} that {@code who} caused after {@code since}. */
  public Optional<Instant> oldest(
      Set<AuditEvent.Type> types, AuditEvent.Who who, String value, Instant since) {
    return jdbc.queryOne(
        "SELECT at FROM audit_events WHERE event IN ("
            + placeholders(types)
            + ") AND "
            + column(who)
            + " = ? AND at > ? ORDER BY at ASC LIMIT 1",
        r -> Jdbc.instant(r, "at"),
        args(types, value, since));
  }

  /** The newest event of a type about {@code who}, at any time. */
  public Optional<Instant> newest(AuditEvent.Type type, AuditEvent.Who who, String value) {
    return jdbc.queryOne(
        "SELECT at FROM audit_events WHERE event = ? AND "
            + column(who)
            + " = ? ORDER BY at DESC LIMIT 1",
        r -> Jdbc.instant(r, "at"),
        type.name(),
        value);
  }

  /**
   * The sessions or address groups that caused at least {@code atLeast} events of {@code types}
   * after {@code since}, most events first, at most {@code limit}.
   */
  public List<String> atLeast(
      Set<AuditEvent.Type> types, AuditEvent.Who who, Instant since, long atLeast, int limit) {
    return jdbc.query(
        "SELECT "
            + column(who)
            + " AS who, COUNT(*) AS n FROM audit_events WHERE event IN ("
            + placeholders(types)
            + ") AND at > ? AND "
            + column(who)
            + " IS NOT NULL GROUP BY "
            + column(who)
            + " HAVING COUNT(*) >= ? ORDER BY n DESC, who LIMIT "
            + limit,
        r -> r.getString("who"),
        args(types, since, atLeast));
  }

  private static String column(AuditEvent.Who who) {
    return switch (who) {
      case SESSION -> "session_ref";
      case ADDRESS_GROUP -> "address_group";
    };
  }

  private static String placeholders(Set<AuditEvent.Type> types) {
    return String.join(", ", Collections.nCopies(types.size(), "?"));
  }

  /** The statement's parameters: the types' names, for {@link #placeholders}, then {@code rest}. */
  private static Object[] args(Set<AuditEvent.Type> types, Object... rest) {
    Object[] params = new Object[types.size() + rest.length];
    int i = 0;
    for (AuditEvent.Type t : types) {
      params[i++] = t.name();
    }
    System.arraycopy(rest, 0, params, i, rest.length);
    return params;
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
      AddressGroup.of(e.ip()),
      e.userAgent(),
      e.sessionRef(),
      e.deviceAuthorizationId(),
      e.grantId(),
      e.detail(),
      e.idp(),
      e.idpSubject()
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
        r.getString("detail"),
        r.getString("idp"),
        r.getString("idp_subject"));
  }
}
