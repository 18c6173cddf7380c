package io.devicelogin.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.server.store.AuditEvent;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every row of every table of a running server's database, read at one moment, to prove that a
 * request changed nothing. The tables are found in the database's own catalogue, so a table added
 * later is covered without touching this class. A difference is reported by table and column names
 * only, never by value: the rows hold hashes, CSRF tokens and the private signing keys.
 *
 * <p>Before a snapshot, {@link #settle(TestServer)} does the sweeper's work for the current instant
 * of the test clock: the server's own sweeper runs on a wall-clock timer and would otherwise expire
 * codes or sessions between two snapshots, a change no request made.
 */
public final class StoreSnapshot {
  private static final String AUDIT = "audit_events";

  /**
   * The rate limits' request counters (on PostgreSQL, where instances count together): a refused
   * request still counts against its address's and its client's allowance, on purpose, as it did
   * when the counters lived in memory.
   */
  private static final String RATE_COUNTERS = "rate_limit_windows";

  /** Table name → first column's value (every table's key) → column → value. */
  private final Map<String, Map<String, Map<String, Object>>> tables;

  private StoreSnapshot(Map<String, Map<String, Map<String, Object>>> tables) {
    this.tables = tables;
  }

  /** Expires what the sweeper would expire at the test clock's current instant. */
  public static void settle(TestServer server) {
    server.context().devices().sweepExpired();
    server.context().sessions().sweepExpired();
  }

  /** Reads every table of {@code server}'s database. */
  public static StoreSnapshot of(TestServer server) {
    Map<String, Map<String, Map<String, Object>>> tables = new TreeMap<>();
    try (Connection c = server.database().connection()) {
      for (String table : tables(c)) {
        tables.put(table, rows(c, table));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the store", e);
    }
    return new StoreSnapshot(tables);
  }

  private static List<String> tables(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    DatabaseMetaData meta = c.getMetaData();
    try (ResultSet r = meta.getTables(c.getCatalog(), c.getSchema(), "%", null)) {
      while (r.next()) {
        String type = r.getString("TABLE_TYPE");
        if ("TABLE".equalsIgnoreCase(type) || "BASE TABLE".equalsIgnoreCase(type)) {
          names.add(r.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
        }
      }
    }
    assertThat(names)
        .as("the tables of the store")
        .contains(AUDIT, "device_authorizations", "grants");
    return names;
  }

  private static Map<String, Map<String, Object>> rows(Connection c, String table)
      throws SQLException {
    Map<String, Map<String, Object>> rows = new TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData meta = r.getMetaData();
      while (r.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          Object value = r.getObject(i);
          row.put(
              meta.getColumnLabel(i).toLowerCase(Locale.ROOT),
              value instanceof byte[] b ? Arrays.toString(b) : value);
        }
        rows.put(String.valueOf(r.getObject(1)), row);
      }
    }
    return rows;
  }

  /** The {@code event} of each audit row that is here and not in {@code before}, in id order. */
  public List<String> auditEventsSince(StoreSnapshot before) {
    Map<String, Map<String, Object>> old = before.tables.getOrDefault(AUDIT, Map.of());
    return tables.getOrDefault(AUDIT, Map.of()).entrySet().stream()
        .filter(e -> !old.containsKey(e.getKey()))
        .sorted((a, b) -> Long.compare(Long.parseLong(a.getKey()), Long.parseLong(b.getKey())))
        .map(e -> String.valueOf(e.getValue().get("event")))
        .toList();
  }

  /**
   * Asserts that every table but the rate limits' counters holds what it held in {@code before},
   * except for new audit rows of exactly the types {@code audited} (in that order): the audit trail
   * of refusals that the server records on purpose, such as a wrong user code or a failed sign-in,
   * which the attempt limits count.
   */
  public void assertUnchangedSince(StoreSnapshot before, AuditEvent.Type... audited) {
    List<String> differences = new ArrayList<>();
    for (String table : union(before.tables.keySet(), tables.keySet())) {
      if (table.equals(RATE_COUNTERS)) {
        continue;
      }
      Map<String, Map<String, Object>> was = before.tables.getOrDefault(table, Map.of());
      Map<String, Map<String, Object>> is = tables.getOrDefault(table, Map.of());
      long added = is.keySet().stream().filter(k -> !was.containsKey(k)).count();
      long removed = was.keySet().stream().filter(k -> !is.containsKey(k)).count();
      if (removed > 0) {
        differences.add(table + ": " + removed + " row(s) removed");
      }
      if (added > 0 && !table.equals(AUDIT)) {
        differences.add(table + ": " + added + " row(s) added");
      }
      for (Map.Entry<String, Map<String, Object>> row : was.entrySet()) {
        Map<String, Object> now = is.get(row.getKey());
        if (now == null) {
          continue;
        }
        List<String> columns =
            row.getValue().keySet().stream()
                .filter(col -> !Objects.equals(row.getValue().get(col), now.get(col)))
                .toList();
        if (!columns.isEmpty()) {
          differences.add(table + ": a row changed in " + columns);
        }
      }
    }
    assertThat(differences).as("what the request changed in the store").isEmpty();
    assertThat(auditEventsSince(before))
        .as("the audit rows the request added")
        .containsExactly(Arrays.stream(audited).map(Enum::name).toArray(String[]::new));
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }
}
