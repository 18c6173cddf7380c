package io.devicelogin.server.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.Secret;
import io.devicelogin.client.text.DurationText;
import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.config.SessionSettings;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.protocol.StandardScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The configuration file: every member, every duration form, and a clear message for each mistake.
 */
class ClientRegistryTest {
  @TempDir Path dir;

  private Path file(String json) throws IOException {
    Path f = dir.resolve("clients.json");
    Files.writeString(f, json);
    return f;
  }

  private ClientRegistry load(String json) throws IOException {
    return ClientsFile.read(file(json));
  }

  private void assertRejected(String json, String... messageParts) throws IOException {
    Path f = file(json);
    assertThatThrownBy(() -> ClientsFile.read(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContainingAll(messageParts)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void everyMemberIsRead() throws IOException {
    String hash = Hashing.sha256(Secret.of("resource-server-secret"));
    ClientRegistry registry =
        load(
            """
        {
          // comments are allowed, to say why a policy is what it is
          "clients": [
            { "client_id": "inventory-cli", "name": "Inventory CLI",
              "scopes": ["openid", "inventory:read", "offline_access"],
              "device_grant": true, "refresh_tokens": false,
              "device_code_lifetime": "15m", "interval": "7s",
              "access_token_lifetime": "5m",
              "refresh_idle_lifetime": "8h", "refresh_max_lifetime": "30d" },
            { "client_id": "inventory-api", "name": "Inventory API",
              "client_secret_sha256": "%s", "introspection": true }
          ],
          "scope_descriptions": { "inventory:read": "See your inventory" }
        }
        """
                .formatted(hash.toUpperCase()));

    ClientPolicy cli = registry.find("inventory-cli").orElseThrow();
    assertThat(cli.name()).isEqualTo("Inventory CLI");
    assertThat(cli.allowedScopes())
        .containsExactlyInAnyOrder("openid", "inventory:read", "offline_access");
    assertThat(cli.deviceGrant()).isTrue();
    assertThat(cli.refreshTokens()).isEqualTo(RefreshTokenPolicy.NEVER);
    assertThat(cli.deviceCodeLifetime()).isEqualTo(Duration.ofMinutes(15));
    assertThat(cli.pollInterval()).isEqualTo(Duration.ofSeconds(7));
    assertThat(cli.accessTokenLifetime()).isEqualTo(Duration.ofMinutes(5));
    assertThat(cli.refreshIdleLifetime()).isEqualTo(Duration.ofHours(8));
    assertThat(cli.refreshMaxLifetime()).isEqualTo(Duration.ofDays(30));
    assertThat(cli.isPublic()).isTrue();
    assertThat(cli.introspection()).isFalse();

    ClientPolicy api = registry.find("inventory-api").orElseThrow();
    assertThat(api.isPublic()).isFalse();
    assertThat(api.secretSha256()).contains(hash);
    assertThat(api.secretMatches(Secret.of("resource-server-secret"))).isTrue();
    assertThat(api.secretMatches(Secret.of("another"))).isFalse();
    assertThat(api.introspection()).isTrue();
    assertThat(api.deviceGrant())
        .as("a confidential client uses the device grant only when told")
        .isFalse();

    assertThat(registry.describe("inventory:read")).isEqualTo("See your inventory");
    assertThat(registry.describe("offline_access")).contains("Stay signed in");
    assertThat(registry.describe("unknown:scope")).contains("unknown:scope");
    assertThat(registry.all())
        .extracting(ClientPolicy::clientId)
        .containsExactly("inventory-cli", "inventory-api");
  }

  @Test
  void absentMembersTakeTheDefaults() throws IOException {
    ClientPolicy c = load("{\"clients\": [{\"client_id\": \"tool\"}]}").find("tool").orElseThrow();
    assertThat(c.name()).isEqualTo("tool");
    assertThat(c.allowedScopes()).isEmpty();
    assertThat(c.deviceGrant()).isTrue();
    assertThat(c.refreshTokens()).isEqualTo(RefreshTokenPolicy.OFFLINE_ACCESS);
    assertThat(c.deviceCodeLifetime()).isEqualTo(Defaults.DEVICE_CODE_LIFETIME);
    assertThat(c.pollInterval()).isEqualTo(Defaults.POLL_INTERVAL);
    assertThat(c.accessTokenLifetime()).isEqualTo(Defaults.ACCESS_TOKEN_LIFETIME);
    assertThat(c.refreshIdleLifetime()).isEqualTo(Defaults.REFRESH_IDLE_LIFETIME);
    assertThat(c.refreshMaxLifetime()).isEqualTo(Defaults.REFRESH_MAX_LIFETIME);
    assertThat(c.secretSha256()).isEmpty();
    assertThat(c.introspection()).isFalse();
  }

  @Test
  void anEmptyFileObjectRegistersNoClient() throws IOException {
    assertThat(load("{}").all()).isEmpty();
    assertThat(load("{\"clients\": []}").all()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"90s\"   | PT1M30S",
        "\"10m\"   | PT10M",
        "\"8h\"    | PT8H",
        "\"30d\"   | PT720H",
        "\"PT10M\" | PT10M",
        "\"P2D\"   | PT48H",
        "\"pt90s\" | PT1M30S",
        "3600      | PT1H",
        "\"45\"    | PT45S",
        "\"10 m\"  | PT10M",
        "\"10M\"   | PT10M",
        "\"500ms\" | PT0.5S"
      })
  void lifetimesTakeEveryDocumentedForm(String json, String expected) throws IOException {
    ClientPolicy c =
        load("{\"clients\": [{\"client_id\": \"t\", \"access_token_lifetime\": " + json + "}]}")
            .find("t")
            .orElseThrow();
    assertThat(c.accessTokenLifetime()).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"5 weeks\"",
        "\"10mo\"",
        "\"ten minutes\"",
        "\"\"",
        "1.5",
        "true",
        "[]",
        "\"99999999999999999999d\"",
        "99999999999999999999"
      })
  void aMalformedLifetimeNamesTheClientTheMemberAndTheForms(String json) throws IOException {
    assertRejected(
        "{\"clients\": [{\"client_id\": \"t\", \"refresh_idle_lifetime\": " + json + "}]}",
        "client 't'",
        "refresh_idle_lifetime is not a duration",
        "90s, 10m, 8h, 30d",
        "PT10M");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-5", "\"0s\"", "\"PT-10M\"", "\"3651d\""})
  void aLifetimeMustBePositiveAndSane(String json) throws IOException {
    assertRejected(
        "{\"clients\": [{\"client_id\": \"t\", \"device_code_lifetime\": " + json + "}]}",
        "client 't'",
        "device_code_lifetime must be longer than 0 and at most 3650 days");
  }

  @Test
  void theIntervalIsWholeSecondsAndShorterThanTheCodesLifetime() throws IOException {
    assertRejected(
        "{\"clients\": [{\"client_id\": \"t\", \"interval\": \"PT2.5S\"}]}",
        "interval must be a whole number of seconds");
    assertRejected(
        "{\"clients\": [{\"client_id\": \"t\", \"interval\": \"10m\", \"device_code_lifetime\": \"10m\"}]}",
        "interval must be shorter than device_code_lifetime");
  }

  @Test
  void aDuplicatedClientIdIsRejected() throws IOException {
    assertRejected(
        "{\"clients\": [{\"client_id\": \"twice\"}, {\"client_id\": \"once\"}, {\"client_id\": \"twice\"}]}",
        "client 'twice' is registered twice");
  }

  @Test
  void aDuplicatedMemberIsRejectedRatherThanTheLastOneWinning() throws IOException {
    assertRejected(
        "{\"clients\": [{\"client_id\": \"t\", \"interval\": \"5s\", \"interval\": \"50s\"}]}",
        "not valid JSON",
        "line 1",
        "Duplicate field 'interval'");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abc",
        "0123456789abcdef",
        "zz3456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
      })
  void aSecretHashMustBe64HexDigits(String hash) throws IOException {
    assertRejected(
        "{\"clients\": [{\"client_id\": \"api\", \"client_secret_sha256\": \"" + hash + "\"}]}",
        "client 'api'",
        "client_secret_sha256 must be 64 hex digits",
        "sha256sum");
  }

  @Test
  void aPlainSecretIsRefusedWithTheWayToStoreIt() throws IOException {
    assertRejected(
        "{\"clients\": [{\"client_id\": \"api\", \"client_secret\": \"s3cret\"}]}",
        "client 'api'",
        "unknown member 'client_secret'",
        "client_secret_sha256");
  }

  @Test
  void unknownMembersAreTyposAndStopTheStart() throws IOException {
    assertRejected(
        "{\"clients\": [{\"client_id\": \"t\", \"scope\": [\"openid\"]}]}",
        "client 't'",
        "unknown member 'scope'",
        "known: client_id, name, scopes,");
    assertRejected(
        "{\"client\": [{\"client_id\": \"t\"}]}",
        "unknown member 'client'",
        "known: clients, scope_descriptions");
  }

  @Test
  void refreshTokensIsAPolicyByNameAndTheOldTrueAndFalseStillRead() throws IOException {
    ClientRegistry r =
        load(
            """
            { "clients": [
                { "client_id": "a", "refresh_tokens": "always" },
                { "client_id": "o", "refresh_tokens": "offline_access" },
                { "client_id": "n", "refresh_tokens": "never" },
                { "client_id": "t", "refresh_tokens": true },
                { "client_id": "f", "refresh_tokens": false } ] }
            """);
    assertThat(r.all())
        .extracting(ClientPolicy::refreshTokens)
        .containsExactly(
            RefreshTokenPolicy.ALWAYS,
            RefreshTokenPolicy.OFFLINE_ACCESS,
            RefreshTokenPolicy.NEVER,
            RefreshTokenPolicy.OFFLINE_ACCESS,
            RefreshTokenPolicy.NEVER);
    assertRejected(
        "{\"clients\": [{\"client_id\": \"t\", \"refresh_tokens\": \"sometimes\"}]}",
        "client 't'",
        "refresh_tokens must be \"offline_access\"");
  }

  @Test
  void theBuiltInDescriptionsAreTheStandardScopesOwn() {
    ClientRegistry r = new ClientRegistry(List.of(), Map.of());
    for (StandardScope s : StandardScope.values()) {
      assertThat(r.describe(s.token())).isEqualTo(s.description());
    }
  }

  @Test
  void valuesOfTheWrongTypeAreRejected() throws IOException {
    assertRejected(
        "{\"clients\": [{\"client_id\": \"t\", \"device_grant\": \"yes\"}]}",
        "device_grant must be true or false");
    assertRejected(
        "{\"clients\": [{\"client_id\": \"t\", \"refresh_tokens\": 1}]}",
        "refresh_tokens must be \"offline_access\"",
        "\"always\" or \"never\"");
    assertRejected(
        "{\"clients\": [{\"client_id\": \"t\", \"scopes\": \"openid profile\"}]}",
        "scopes must be an array");
    assertRejected(
        "{\"clients\": [{\"client_id\": \"t\", \"scopes\": [\"has space\"]}]}",
        "scopes must be strings without spaces");
    assertRejected(
        "{\"clients\": [{\"client_id\": \"t\", \"name\": 42}]}", "name must be a string");
    assertRejected("{\"clients\": {\"client_id\": \"t\"}}", "\"clients\" must be an array");
    assertRejected("{\"clients\": [\"t\"]}", "clients[0]", "each client must be a JSON object");
    assertRejected("[]", "must be a JSON object");
  }

  @Test
  void everyClientNeedsAUsableId() throws IOException {
    assertRejected(
        "{\"clients\": [{\"client_id\": \"ok\"}, {\"name\": \"no id\"}]}",
        "clients[1]",
        "client_id is missing");
    assertRejected("{\"clients\": [{\"client_id\": 7}]}", "clients[0]", "client_id is missing");
    assertRejected(
        "{\"clients\": [{\"client_id\": \"" + "x".repeat(101) + "\"}]}",
        "1 to 100 printable ASCII");
  }

  @Test
  void rateLimitsAreReadAndAbsentOnesTakeTheDefaults() throws IOException {
    assertThat(load("{}").rateLimits())
        .isEqualTo(
            new RateLimits(
                Defaults.DEVICE_REQUESTS_PER_IP_PER_MINUTE,
                Defaults.DEVICE_REQUESTS_PER_CLIENT_PER_MINUTE));
    assertThat(
            load("{\"rate_limits\": {\"device_authorizations_per_ip_per_minute\": 7}}")
                .rateLimits())
        .isEqualTo(new RateLimits(7, Defaults.DEVICE_REQUESTS_PER_CLIENT_PER_MINUTE));
    assertThat(
            load("{\"rate_limits\": {\"device_authorizations_per_ip_per_minute\": 100000,"
                    + " \"device_authorizations_per_client_per_minute\": 2000000}}")
                .rateLimits())
        .isEqualTo(new RateLimits(100_000, 2_000_000));
    assertThat(
            load("{\"rate_limits\": {\"device_authorizations_per_ip_per_minute\": 7}, \"clients\": []}")
                .withIfAbsent(ClientRegistry.demoClient())
                .rateLimits()
                .deviceAuthorizationsPerIpPerMinute())
        .as("adding the demo client keeps the file's limits")
        .isEqualTo(7);
  }

  @Test
  void theFairSharePerAddressIsReadAndAQuarterOfTheClientsBudgetIsKeptForIt() throws IOException {
    assertThat(load("{}").rateLimits().deviceAuthorizationsFairSharePerIp())
        .isEqualTo(Defaults.DEVICE_REQUESTS_FAIR_SHARE_PER_IP);
    RateLimits limits =
        load("{\"rate_limits\": {\"device_authorizations_per_client_per_minute\": 100,"
                + " \"device_authorizations_fair_share_per_ip\": 2}}")
            .rateLimits();
    assertThat(limits)
        .isEqualTo(new RateLimits(Defaults.DEVICE_REQUESTS_PER_IP_PER_MINUTE, 100, 2));
    assertThat(limits.reservedPerClientPerMinute()).isEqualTo(25);
    assertRejected(
        "{\"rate_limits\": {\"device_authorizations_fair_share_per_ip\": 0}}",
        "rate_limits",
        "device_authorizations_fair_share_per_ip");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "1.5", "\"30\"", "true", "3000000000"})
  void aRateLimitIsAWholePositiveNumber(String value) throws IOException {
    assertRejected(
        "{\"rate_limits\": {\"device_authorizations_per_ip_per_minute\": " + value + "}}",
        "rate_limits",
        "device_authorizations_per_ip_per_minute must be a whole number from 1");
  }

  @Test
  void rateLimitsRejectUnknownMembersAndOtherShapes() throws IOException {
    assertRejected(
        "{\"rate_limits\": {\"device_authorisations_per_ip_per_minute\": 5}}",
        "rate_limits",
        "unknown member 'device_authorisations_per_ip_per_minute'");
    assertRejected("{\"rate_limits\": 30}", "rate_limits", "must be an object");
  }

  @Test
  void introspectionNeedsASecret() throws IOException {
    assertRejected(
        "{\"clients\": [{\"client_id\": \"api\", \"introspection\": true}]}",
        "introspection needs client_secret_sha256");
  }

  @Test
  void scopeDescriptionsAreChecked() throws IOException {
    assertRejected("{\"scope_descriptions\": [\"a\"]}", "scope_descriptions must be an object");
    assertRejected("{\"scope_descriptions\": {\"a b\": \"x\"}}", "'a b' is not a scope");
    assertRejected(
        "{\"scope_descriptions\": {\"a\": 1}}", "the description of a must be a non-empty string");
    ClientRegistry r =
        load("{\"scope_descriptions\": {\"profile\": \"See your name and picture\"}}");
    assertThat(r.describe("profile"))
        .as("a file may reword a built-in description")
        .isEqualTo("See your name and picture");
  }

  @Test
  void aFileThatCannotBeReadSaysWhyInOneLine() throws IOException {
    Path missing = dir.resolve("nope.json");
    assertThatThrownBy(() -> ClientsFile.read(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot read the configuration file " + missing + ": no such file");
    assertThatThrownBy(() -> ClientsFile.read(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot read the configuration file " + dir + ": ");
    Path latin1 = dir.resolve("latin1.json");
    Files.write(latin1, new byte[] {'{', '"', (byte) 0xE9, '"', ':', '1', '}'});
    assertThatThrownBy(() -> ClientsFile.read(latin1)).hasMessageEndingWith("it is not UTF-8 text");
  }

  @Test
  void invalidJsonSaysWhereInOneLine() throws IOException {
    assertRejected("{\"clients\": [\n", "is not valid JSON (line 2, column 1)", "end-of-input");
    assertRejected("{\"clients\": []} trailing", "is not valid JSON");
  }

  @Test
  void theDemoClientIsPublicWithTheDeviceGrantRefreshAndTheOpenIdScopes() {
    ClientPolicy demo = ClientRegistry.demoClient();
    assertThat(demo.clientId()).isEqualTo("devicelogin-cli");
    assertThat(demo.isPublic()).isTrue();
    assertThat(demo.deviceGrant()).isTrue();
    assertThat(demo.refreshTokens()).isEqualTo(RefreshTokenPolicy.OFFLINE_ACCESS);
    assertThat(demo.staysSignedIn(demo.allowedScopes())).isTrue();
    assertThat(demo.allowedScopes())
        .containsExactlyInAnyOrder("openid", "profile", "email", "offline_access");
  }

  @Test
  void withIfAbsentKeepsAClientOfTheSameIdFromTheFile() {
    ClientPolicy mine = ClientRegistry.publicClient("devicelogin-cli", "Ours", Scope.of("openid"));
    ClientRegistry r =
        new ClientRegistry(List.of(mine), Map.of()).withIfAbsent(ClientRegistry.demoClient());
    assertThat(r.find("devicelogin-cli")).contains(mine);
    ClientRegistry empty =
        new ClientRegistry(List.of(), Map.of()).withIfAbsent(ClientRegistry.demoClient());
    assertThat(empty.find("devicelogin-cli")).isPresent();
    assertThat(empty.find(null)).isEmpty();
  }

  @Test
  void theRegistryRefusesTwoClientsOfOneId() {
    ClientPolicy a = ClientRegistry.publicClient("a", "A", Scope.empty());
    assertThatThrownBy(() -> new ClientRegistry(List.of(a, a), Map.of()))
        .hasMessageContaining("registered twice");
  }

  @Test
  void lifetimesAreWrittenAsOnTheCommandLine() throws IOException {
    ClientPolicy c =
        load("{\"clients\": [{\"client_id\": \"t\", \"access_token_lifetime\": \"10m\"}]}")
            .find("t")
            .orElseThrow();
    assertThat(Optional.of(c.accessTokenLifetime())).isEqualTo(DurationText.parse("10m"));
    assertRejected(
        "{\"clients\": [{\"client_id\": \"t\", \"access_token_lifetime\": \"10 minutes\"}]}",
        "access_token_lifetime is not a duration: \"10 minutes\"",
        DurationText.EXAMPLES);
  }

  @Test
  void sessionTimesAreReadAbsentOnesTakeTheDefaultsAndTheIdleTimeoutFitsTheLifetime()
      throws IOException {
    assertThat(load("{}").sessions()).isEqualTo(SessionSettings.DEFAULTS);
    assertThat(load("{\"sessions\": {\"idle_timeout\": \"5m\"}}").sessions())
        .isEqualTo(new SessionSettings(Defaults.BROWSER_SESSION_LIFETIME, Duration.ofMinutes(5)));
    assertThat(load("{\"sessions\": {\"lifetime\": \"10m\"}}").sessions())
        .as("a lifetime shorter than the default idle timeout takes it as the idle timeout")
        .isEqualTo(new SessionSettings(Duration.ofMinutes(10), Duration.ofMinutes(10)));
    assertThat(
            load("{\"sessions\": {\"lifetime\": \"1h\"}, \"clients\": []}")
                .withIfAbsent(ClientRegistry.demoClient())
                .sessions()
                .lifetime())
        .isEqualTo(Duration.ofHours(1));
    assertRejected(
        "{\"sessions\": {\"lifetime\": \"1h\", \"idle_timeout\": \"2h\"}}",
        "sessions",
        "idle_timeout must be at least 1 minute and no longer than lifetime");
    assertRejected("{\"sessions\": {\"idle_timeout\": \"30s\"}}", "sessions", "at least 1 minute");
    assertRejected("{\"sessions\": {\"idle\": \"5m\"}}", "sessions", "unknown member 'idle'");
    assertRejected("{\"sessions\": \"8h\"}", "sessions", "must be an object");
  }
}
