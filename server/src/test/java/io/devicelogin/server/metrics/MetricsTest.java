package io.devicelogin.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.TestHttp;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.device.UserCodeGenerator;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.User;
import io.devicelogin.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /metrics}: what it counts, driven by real OAuth requests, and what its labels never hold.
 */
@ExtendWith(NoSecretsInOutput.class)
class MetricsTest {
  private static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
  private static final Pattern SERIES = Pattern.compile("^([a-z_]+)(\\{[^}]*\\})? (\\S+)$");

  @AutoClose private final TestServer server = TestServer.start();

  /** Every value a label must never hold: codes, tokens, the user, the address. */
  private final List<String> forbidden = new ArrayList<>(List.of("127.0.0.1", "demo"));

  private String scrape() {
    HttpResponse<String> response = TestHttp.get(server.uri("/metrics"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    return response.body();
  }

  /**
   * The value of one series, such as {@code
   * devicelogin_requests_total{endpoint="token",outcome="ok"}}; 0 if absent.
   */
  private static double value(String scrape, String series) {
    for (String line : scrape.split("\n")) {
      Matcher m = SERIES.matcher(line);
      if (m.matches() && series.equals(m.group(1) + (m.group(2) == null ? "" : m.group(2)))) {
        return Double.parseDouble(m.group(3));
      }
    }
    return 0;
  }

  private static String requests(String endpoint, String outcome) {
    return "devicelogin_requests_total{endpoint=\"" + endpoint + "\",outcome=\"" + outcome + "\"}";
  }

  private JsonNode deviceAuthorization() {
    HttpResponse<String> response =
        TestHttp.postForm(
            server.uri("/oauth2/device_authorization"),
            Map.of("client_id", "devicelogin-cli", "scope", "openid offline_access"));
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = TestHttp.json(response);
    IssuedSecrets.register(body.path("device_code").asText());
    forbidden.add(body.path("device_code").asText());
    forbidden.add(body.path("user_code").asText());
    return body;
  }

  private HttpResponse<String> poll(String deviceCode) {
    return TestHttp.postForm(
        server.uri("/oauth2/token"),
        Map.of(
            "grant_type", DEVICE_GRANT, "device_code", deviceCode, "client_id", "devicelogin-cli"));
  }

  private void approve(JsonNode authorization) {
    User demo = server.demoUser();
    forbidden.add(demo.id());
    String id =
        server
            .context()
            .devices()
            .findLive(
                UserCodeGenerator.normalise(authorization.path("user_code").asText()).orElseThrow())
            .orElseThrow()
            .id();
    server.context().devices().approve(id, demo, new Origin("127.0.0.1", "test"), null);
  }

  /** No label value is, or holds, a code, a token, a user or an address. */
  private void assertLabelsAreClean(String scrape) {
    for (String line : scrape.split("\n")) {
      Matcher m = SERIES.matcher(line);
      if (!m.matches() || m.group(2) == null) {
        continue;
      }
      for (String value : forbidden) {
        assertThat(m.group(2)).as("labels of %s", m.group(1)).doesNotContain(value);
      }
      assertThat(m.group(2)).matches("\\{([a-z_]+=\"[a-z0-9_]*\",?)+\\}");
    }
  }

  @Test
  void countsRequestsByEndpointAndOutcomeAndThePendingAuthorizations() {
    JsonNode first = deviceAuthorization();
    deviceAuthorization();
    assertThat(
            TestHttp.postForm(
                    server.uri("/oauth2/device_authorization"), Map.of("client_id", "nobody"))
                .statusCode())
        .isEqualTo(401);
    assertThat(poll(first.path("device_code").asText()).statusCode()).isEqualTo(400);
    assertThat(poll(first.path("device_code").asText()).body()).contains("slow_down");
    assertThat(
            TestHttp.postForm(
                    server.uri("/oauth2/token"),
                    Map.of("grant_type", "password", "client_id", "devicelogin-cli"))
                .statusCode())
        .isEqualTo(400);
    TestHttp.get(server.uri("/.well-known/oauth-authorization-server"));

    String scrape = scrape();
    assertThat(value(scrape, requests("device_authorization", "ok"))).isEqualTo(2);
    assertThat(value(scrape, requests("device_authorization", "invalid_client"))).isEqualTo(1);
    assertThat(value(scrape, requests("token", "authorization_pending"))).isEqualTo(1);
    assertThat(value(scrape, requests("token", "slow_down"))).isEqualTo(1);
    assertThat(value(scrape, requests("token", "unsupported_grant_type"))).isEqualTo(1);
    assertThat(value(scrape, requests("metadata", "ok"))).isEqualTo(1);
    assertThat(value(scrape, "devicelogin_pending_authorizations")).isEqualTo(2);
    assertThat(value(scrape, "devicelogin_grants_issued_total")).isZero();
    assertThat(scrape)
        .contains(
            "# HELP devicelogin_requests_total", "# TYPE devicelogin_pending_authorizations gauge");
    assertLabelsAreClean(scrape);
  }

  @Test
  void countsGrantsIssuedWhenTheFirstTokensGoOut() {
    JsonNode authorization = deviceAuthorization();
    approve(authorization);
    server.clock.advance(Duration.ofSeconds(5));
    HttpResponse<String> tokens = poll(authorization.path("device_code").asText());
    assertThat(tokens.statusCode()).isEqualTo(200);
    JsonNode body = TestHttp.json(tokens);
    forbidden.add(IssuedSecrets.register(body.path("access_token").asText()));
    forbidden.add(IssuedSecrets.register(body.path("refresh_token").asText()));

    String scrape = scrape();
    assertThat(value(scrape, "devicelogin_grants_issued_total")).isEqualTo(1);
    assertThat(value(scrape, requests("token", "ok"))).isEqualTo(1);
    assertThat(value(scrape, "devicelogin_pending_authorizations"))
        .as("approved is no longer pending")
        .isZero();
    assertLabelsAreClean(scrape);
  }

  /** Tokens for a fresh, approved authorization; returns the refresh token. */
  private String approvedRefreshToken() {
    JsonNode authorization = deviceAuthorization();
    approve(authorization);
    JsonNode tokens = TestHttp.json(poll(authorization.path("device_code").asText()));
    IssuedSecrets.register(tokens.path("access_token").asText());
    String refresh = IssuedSecrets.register(tokens.path("refresh_token").asText());
    forbidden.add(refresh);
    return refresh;
  }

  private HttpResponse<String> refresh(String refreshToken) {
    return TestHttp.postForm(
        server.uri("/oauth2/token"),
        Map.of(
            "grant_type",
            "refresh_token",
            "refresh_token",
            refreshToken,
            "client_id",
            "devicelogin-cli"));
  }

  @Test
  void countsGrantsRevokedWhoeverRevokesThem() {
    // The client revokes (RFC 7009); revoking again changes nothing, and counts nothing.
    String first = approvedRefreshToken();
    Map<String, String> revoke = Map.of("token", first, "client_id", "devicelogin-cli");
    assertThat(TestHttp.postForm(server.uri("/oauth2/revoke"), revoke).statusCode()).isEqualTo(200);
    assertThat(TestHttp.postForm(server.uri("/oauth2/revoke"), revoke).statusCode()).isEqualTo(200);
    assertThat(value(scrape(), "devicelogin_grants_revoked_total")).isEqualTo(1);

    // Replay detection revokes: a rotated refresh token presented again.
    String second = approvedRefreshToken();
    HttpResponse<String> rotated = refresh(second);
    assertThat(rotated.statusCode()).isEqualTo(200);
    JsonNode fresh = TestHttp.json(rotated);
    IssuedSecrets.register(fresh.path("access_token").asText());
    forbidden.add(IssuedSecrets.register(fresh.path("refresh_token").asText()));
    assertThat(refresh(second).body()).contains("invalid_grant");

    String scrape = scrape();
    assertThat(value(scrape, "devicelogin_grants_revoked_total")).isEqualTo(2);
    assertThat(value(scrape, "devicelogin_grants_issued_total")).isEqualTo(2);
    assertThat(value(scrape, requests("revoke", "ok"))).isEqualTo(2);
    assertThat(value(scrape, requests("token", "invalid_grant"))).isEqualTo(1);
    assertLabelsAreClean(scrape);
  }

  @Test
  void countsRateLimitHitsByLimitAndTheRefusalsAsAnOutcome() {
    for (int i = 0; i < Defaults.DEVICE_REQUESTS_PER_IP_PER_MINUTE; i++) {
      deviceAuthorization();
    }
    HttpResponse<String> refused =
        TestHttp.postForm(
            server.uri("/oauth2/device_authorization"), Map.of("client_id", "devicelogin-cli"));
    assertThat(refused.statusCode()).isEqualTo(429);

    String scrape = scrape();
    assertThat(
            value(
                scrape,
                "devicelogin_rate_limited_total{limit=\"device_authorization_per_ip_address\"}"))
        .isEqualTo(1);
    assertThat(value(scrape, requests("device_authorization", "too_many_requests"))).isEqualTo(1);
    assertThat(value(scrape, requests("device_authorization", "ok")))
        .isEqualTo(Defaults.DEVICE_REQUESTS_PER_IP_PER_MINUTE);
    assertLabelsAreClean(scrape);
  }

  @Test
  void labelValuesAreReducedToASmallAlphabet() {
    assertThat(Metrics.label("device_authorization per IP address"))
        .isEqualTo("device_authorization_per_ip_address");
    assertThat(Metrics.label(null)).isEqualTo("none");
    assertThat(Metrics.label("x".repeat(100))).hasSize(64);
  }
}
