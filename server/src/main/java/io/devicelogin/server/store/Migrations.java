package io.devicelogin.server.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import javax.sql.DataSource;

/**
 * The migrations this build ships, and whether a database has exactly those applied already.
 *
 * <p>Flyway applies and validates the migrations; on a database that already has every one of them
 * there is nothing for it to do but check, and loading Flyway to check costs a start of the server
 * a good part of a second. So a start first reads Flyway's own history table: if it lists exactly
 * the shipped migrations, in order, each applied with success and with the checksum Flyway computes
 * for the script as shipped, the schema is current and Flyway is not started. In every other case
 * (a new database, a pending or a failed migration, a script changed since it was applied, a
 * migration from a newer release, a history this class cannot read) Flyway runs as it always did,
 * and says what it always said.
 */
final class Migrations {
  /** Where the scripts are, on the class path; what Flyway is told too. */
  static final String LOCATION = "db/migration";

  /**
   * The scripts under {@link #LOCATION}, oldest first. A new migration is added here as well:
   * {@code MigrationTest} fails until the list is what Flyway finds. (Were it forgotten, nothing
   * would break: every start would see a history longer than this list and leave the work to
   * Flyway.)
   */
  static final List<String> SCRIPTS =
      List.of(
          "V1__device_login.sql",
          "V2__longer_actor_names.sql",
          "V3__one_first_signing_key.sql",
          "V4__rate_limit_windows.sql",
          "V5__poll_clock_in_the_row.sql",
          "V6__address_groups_and_past_codes.sql",
          "V7__browser_sessions_idle_and_per_address.sql",
          "V8__people.sql");

  private Migrations() {}

  /** One applied migration as Flyway records it in {@code flyway_schema_history}. */
  record Applied(String version, String script, String type, Integer checksum, boolean success) {}

  /** What the history of a database with every shipped migration applied holds. */
  static List<Applied> shipped(ClassLoader loader) {
    List<Applied> rows = new ArrayList<>();
    for (String script : SCRIPTS) {
      rows.add(
          new Applied(
              version(script), script, "SQL", checksum(loader, LOCATION + "/" + script), true));
    }
    return rows;
  }

  /**
   * Rows Flyway writes about itself, not about a migration: that it created its history table (on
   * H2, for one) or the schema.
   */
  private static final Set<String> MARKERS = Set.of("TABLE", "SCHEMA");

  /**
   * Whether the database's history, Flyway's markers aside, is exactly {@link #shipped}: then
   * Flyway has nothing to do.
   */
  static boolean current(DataSource dataSource, ClassLoader loader) {
    List<Applied> applied;
    try (Connection c = dataSource.getConnection()) {
      applied = history(c);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
    applied.removeIf(row -> row.version() == null && MARKERS.contains(row.type()));
    try {
      return applied.equals(shipped(loader));
    } catch (UncheckedIOException | IllegalStateException e) {
      return false;
    }
  }

  /** The rows of Flyway's history table, by rank; empty when there is no such table. */
  static List<Applied> history(Connection c) throws SQLException {
    List<Applied> rows = new ArrayList<>();
    // Looked up first, not just selected from: on PostgreSQL a missing table would put an error
    // in the server's log at every first start.
    try (ResultSet t =
        c.getMetaData().getTables(null, c.getSchema(), "flyway_schema_history", null)) {
      if (!t.next()) {
        return rows;
      }
    }
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT version, script, type, checksum, success FROM flyway_schema_history ORDER BY installed_rank")) {
      while (r.next()) {
        int checksum = r.getInt("checksum");
        rows.add(
            new Applied(
                r.getString("version"),
                r.getString("script"),
                r.getString("type"),
                r.wasNull() ? null : checksum,
                r.getBoolean("success")));
      }
    }
    return rows;
  }

  /** {@code V12_1__what.sql} is version {@code 12.1}. */
  static String version(String script) {
    int end = script.indexOf("__");
    if (!script.startsWith("V") || end < 2) {
      throw new IllegalStateException("not a versioned migration: " + script);
    }
    return script.substring(1, end).replace('_', '.');
  }

  /**
   * The checksum Flyway records for a SQL script: CRC-32 over the UTF-8 bytes of each line without
   * its line ending, a byte order mark dropped from the start. {@code MigrationTest} checks that it
   * is Flyway's for every shipped script; should Flyway ever compute it otherwise, the histories
   * would simply stop matching and Flyway would do the check itself.
   */
  static Integer checksum(ClassLoader loader, String resource) {
    CRC32 crc = new CRC32();
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no " + resource + " on the class path");
      }
      BufferedReader lines =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 4096);
      boolean first = true;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (first && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        first = false;
        crc.update(line.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return (int) crc.getValue();
  }
}
