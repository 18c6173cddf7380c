package io.devicelogin.server.oauth;

import static io.devicelogin.server.oauth.OAuthErrorResponsesTest.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.testing.Backend;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.DeviceCode;
import io.devicelogin.server.testing.OAuthCalls.Response;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /oauth2/device_authorization} (RFC 8628 §3.1–3.2): the defaults, the client's own
 * lifetimes, the scope checked against the client's allowed scopes, client authentication, and the
 * rate limits per IP address and per client.
 */
// The tests' loopback address is a trusted proxy, so that requests can come "from" other
// addresses; each test starts in a new rate-limit window.
@ServerOnEachBackend(
    args = {"--trusted-proxy", "127.0.0.1"},
    minutesBeforeEachTest = 1)
class DeviceAuthorizationEndpointTest {
  @ServerUnderTest private static TestServer server;
  @ServerUnderTest private static OAuthCalls oauth;

  @ServerUnderTest Backend backend;

  private static Response from(String ip, String clientId) {
    return oauth.deviceAuthorizationFrom(ip, clientId);
  }

  @Test
  void theDefaultsAreTenMinutesAndFiveSecondsWithVerificationUris() {
    DeviceCode code = oauth.deviceCode(TestClients.CLI, "openid");
    assertThat(code.expiresIn()).isEqualTo(600);
    assertThat(code.interval()).isEqualTo(5);
    assertThat(code.userCode()).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
    assertThat(code.verificationUri()).isEqualTo(server.issuer() + "/device");
    assertThat(code.verificationUriComplete())
        .isEqualTo(
            server.issuer()
                + "/device?user_code="
                + URLEncoder.encode(code.userCode(), StandardCharsets.UTF_8));
    // 256 random bits, base64url.
    assertThat(code.deviceCode()).matches("[A-Za-z0-9_-]{43}");
  }

  @Test
  void aFormIsRecognisedByItsMediaTypeInAnyCaseWithAQuotedOrBareUtf8Charset() {
    // RFC 9110 §8.3.1: type, subtype and parameter names are case-insensitive; §5.6.6: a quoted
    // parameter value is the same value as the bare one.
    for (String type :
        List.of(
            "APPLICATION/X-WWW-FORM-URLENCODED",
            OAuthCalls.FORM + ";charset=\"utf-8\"",
            OAuthCalls.FORM + " ; Charset=UTF-8")) {
      Response r =
          oauth.post(
              "/oauth2/device_authorization",
              type,
              OAuthCalls.form("client_id", TestClients.CLI).getBytes(StandardCharsets.UTF_8));
      assertThat(r.status()).as(type).isEqualTo(200);
      OAuthCalls.deviceCode(r);
    }
  }

  @Test
  void theResponseIsNeverCached() {
    Response r = oauth.deviceAuthorization(TestClients.CLI, "openid");
    OAuthCalls.deviceCode(r);
    assertThat(r.header("Cache-Control")).contains("no-store");
    assertThat(r.header("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
  }

  @Test
  void aClientsOwnLifetimeAndIntervalReplaceTheDefaults() {
    DeviceCode code = oauth.deviceCode(TestClients.QUICK_CLI, "openid");
    assertThat(code.expiresIn()).isEqualTo(120);
    assertThat(code.interval()).isEqualTo(7);
  }

  @Test
  void anAbsentScopeMeansEveryScopeTheClientIsAllowed() {
    DeviceCode code = oauth.deviceCode(TestClients.CLI, null);
    assertThat(server.pending(code.userCode()).scope())
        .containsExactlyInAnyOrder("openid", "profile", "email", "offline_access");
  }

  @Test
  void theRequestedScopeIsKeptAsAsked() {
    DeviceCode code = oauth.deviceCode(TestClients.CLI, "email  openid");
    assertThat(server.pending(code.userCode()).scope())
        .containsExactlyInAnyOrder("openid", "email");
  }

  @Test
  void aScopeTheClientIsNotAllowedIsInvalidScope() {
    for (String scope : List.of("openid admin", "email", "openid \"quoted\"")) {
      Response r = oauth.deviceAuthorization(TestClients.NO_REFRESH_CLI, scope);
      assertOAuthError(r, 400, "invalid_scope");
    }
  }

  @Test
  void anUnknownOrMissingClientIsInvalidClientWith401() {
    for (Response r :
        List.of(
            oauth.deviceAuthorization("no-such-client", "openid"),
            oauth.post("/oauth2/device_authorization", OAuthCalls.form("scope", "openid")))) {
      assertOAuthError(r, 401, "invalid_client");
    }
  }

  @Test
  void aPublicClientPresentingASecretIsInvalidClient() {
    String withASecret = OAuthCalls.form("client_id", TestClients.CLI, "client_secret", "guess");
    assertOAuthError(
        oauth.post("/oauth2/device_authorization", withASecret), 401, "invalid_client");
  }

  @Test
  void aClientWithoutTheDeviceGrantIsUnauthorizedClient() {
    Response r =
        oauth.post(
            "/oauth2/device_authorization",
            OAuthCalls.basic(TestClients.REPORTING, server.clients.reportingSecret),
            OAuthCalls.form("scope", "openid"));
    assertOAuthError(r, 400, "unauthorized_client");
  }

  @Test
  void requestsPerIpAddressAreLimitedWith429RetryAfterAndAnAuditRow() {
    int allowed = Defaults.DEVICE_REQUESTS_PER_IP_PER_MINUTE;
    for (int i = 0; i < allowed; i++) {
      OAuthCalls.deviceCode(from("203.0.113.10", TestClients.CLI));
    }
    Response refused = from("203.0.113.10", TestClients.CLI);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.error()).isEqualTo("too_many_requests");
    long retryAfter = Long.parseLong(refused.header("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 60L);
    assertThat(server.context().audit().find(null, TestClients.CLI, null, 10))
        .filteredOn(e -> e.event() == AuditEvent.Type.RATE_LIMITED)
        .first()
        .satisfies(
            e -> {
              assertThat(e.ip()).isEqualTo("203.0.113.10");
              assertThat(e.userAgent()).isEqualTo(OAuthCalls.USER_AGENT);
              assertThat(e.detail()).contains("per IP");
            });

    // Another address is not affected, and the limited one may ask again once Retry-After has
    // passed.
    OAuthCalls.deviceCode(from("203.0.113.11", TestClients.CLI));
    server.clock.advance(Duration.ofSeconds(retryAfter));
    OAuthCalls.deviceCode(from("203.0.113.10", TestClients.CLI));
  }

  @Test
  void requestsPerClientAreLimitedAcrossAddressesWith429AndAnAuditRow() {
    int perClient = Defaults.DEVICE_REQUESTS_PER_CLIENT_PER_MINUTE;
    int perIp = Defaults.DEVICE_REQUESTS_PER_IP_PER_MINUTE;
    for (int i = 0; i < perClient; i++) {
      String ip = "198.18." + (i / perIp) + "." + (1 + i % perIp);
      Response r = from(ip, TestClients.OTHER_CLI);
      assertThat(r.status()).as("request %d", i).isEqualTo(200);
      OAuthCalls.deviceCode(r);
    }
    Response refused = from("198.18.200.1", TestClients.OTHER_CLI);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.error()).isEqualTo("too_many_requests");
    assertThat(refused.header("Retry-After")).isPresent();
    assertThat(server.context().audit().find(null, TestClients.OTHER_CLI, null, 10))
        .filteredOn(e -> e.event() == AuditEvent.Type.RATE_LIMITED)
        .first()
        .satisfies(e -> assertThat(e.detail()).contains("per client"));
    // Another client is not affected.
    OAuthCalls.deviceCode(from("198.18.200.1", TestClients.CLI));
  }

  @Test
  void theConfigurationFileSetsTheLimits(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("clients.json");
    Files.writeString(
        config,
        """
        { "clients": [ { "client_id": "limited-cli", "scopes": ["openid"] } ],
          "rate_limits": { "device_authorizations_per_ip_per_minute": 2,
                           "device_authorizations_per_client_per_minute": 3 } }
        """);
    try (TestServer limited =
        TestServer.start(
            backend, List.of("--trusted-proxy", "127.0.0.1", "--config", config.toString()))) {
      OAuthCalls calls = limited.oauth();
      Function<String, Response> ask =
          ip ->
              calls.send(
                  calls
                      .request("/oauth2/device_authorization")
                      .header("X-Forwarded-For", ip)
                      .header("Content-Type", OAuthCalls.FORM)
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              OAuthCalls.form("client_id", "limited-cli"))));
      assertThat(ask.apply("203.0.113.20").status()).isEqualTo(200);
      assertThat(ask.apply("203.0.113.20").status()).isEqualTo(200);
      Response thirdFromOneAddress = ask.apply("203.0.113.20");
      assertThat(thirdFromOneAddress.status()).isEqualTo(429);
      assertThat(thirdFromOneAddress.text("error_description")).contains("per IP");
      assertThat(ask.apply("203.0.113.21").status()).as("the client's third").isEqualTo(200);
      Response fourthOfTheClient = ask.apply("203.0.113.22");
      assertThat(fourthOfTheClient.status()).isEqualTo(429);
      assertThat(fourthOfTheClient.text("error_description")).contains("per client");
    }
  }
}
