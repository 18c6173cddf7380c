package io.devicelogin.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.testing.Backend;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.DeviceCode;
import io.devicelogin.server.testing.OAuthCalls.Tokens;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The database never holds a raw device code, refresh token, access token, client secret or
 * password: after a flow that issued all of them, every value of every column of every table is
 * searched for each; the codes and refresh tokens are found as SHA-256 hashes only.
 */
@ParameterizedClass
@EnumSource(Backend.class)
@ExtendWith(NoSecretsInOutput.class)
class NoSecretsAtRestTest {
  @Parameter Backend backend;

  @Test
  void noTableHoldsARawDeviceCodeTokenOrSecret() throws SQLException {
    try (TestServer server = TestServer.start(backend)) {
      OAuthCalls oauth = server.oauth();
      List<String> secrets = new ArrayList<>();
      DeviceCode pending = oauth.deviceCode();
      DeviceCode denied = oauth.deviceCode();
      server.deny(denied.userCode());
      DeviceCode approved = oauth.deviceCode();
      server.approve(approved.userCode());
      Tokens first = OAuthCalls.tokens(oauth.poll(approved));
      Tokens second = OAuthCalls.tokens(oauth.refresh(first));
      oauth.introspect(second.accessToken());
      oauth.revoke(TestClients.CLI, second.refreshToken(), null);
      secrets.addAll(
          List.of(
              pending.deviceCode(),
              denied.deviceCode(),
              approved.deviceCode(),
              first.accessToken(),
              first.refreshToken(),
              second.accessToken(),
              second.refreshToken(),
              server.demoPassword,
              server.clients.resourceServerSecret,
              server.clients.reportingSecret));

      List<String> values = allValues(server);
      assertThat(values).isNotEmpty();
      for (String secret : secrets) {
        assertThat(values)
            .as("a value holding a secret that starts %s", secret.substring(0, 4))
            .noneMatch(v -> v.contains(secret));
        // Nor its end, as a truncated or reformatted copy would.
        String tail = secret.substring(secret.length() - 20);
        assertThat(values).noneMatch(v -> v.contains(tail));
      }
      for (DeviceCode code : List.of(pending, denied, approved)) {
        assertThat(values).contains(Hashing.sha256(code.deviceCode()));
      }
      for (Tokens t : List.of(first, second)) {
        assertThat(values).contains(Hashing.sha256(t.refreshToken()));
      }
    }
  }

  /** Every non-null value of every column of every table of the application, as text. */
  private static List<String> allValues(TestServer server) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection c = server.database().connection()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
        }
      }
      assertThat(tables)
          .extracting(t -> t.toLowerCase(Locale.ROOT))
          .contains("device_authorizations", "grants", "refresh_tokens", "audit_events", "users");
      for (String table : tables) {
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
          ResultSetMetaData meta = rs.getMetaData();
          while (rs.next()) {
            for (int i = 1; i <= meta.getColumnCount(); i++) {
              Object v = rs.getObject(i);
              if (v != null) {
                values.add(v.toString());
              }
            }
          }
        }
      }
    }
    return values;
  }
}
