package io.devicelogin.server;

import static io.devicelogin.server.testing.OAuthCalls.assertPending;
import static io.devicelogin.server.testing.OAuthCalls.assertSlowDown;
import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.testing.Backend;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.DeviceCode;
import io.devicelogin.server.testing.OAuthCalls.Response;
import io.devicelogin.server.testing.PollRules;
import io.devicelogin.server.testing.StartingGate;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two instances, A and B, on one PostgreSQL database and one clock, as behind a round-robin load
 * balancer: the slow_down poll clock and the device authorization rate limits hold for both
 * together, as they do for one instance (PollTimingTest, DeviceAuthorizationEndpointTest). Both are
 * servers of this JVM, each with its own port, pool and memory; they share only the database.
 */
@ExtendWith(NoSecretsInOutput.class)
class SeveralInstancesTest {
  private static final int PER_IP = 4;
  private static final int PER_CLIENT = 6;

  private static Path config;
  private static TestServer a;
  private static TestServer b;
  private static OAuthCalls onA;
  private static OAuthCalls onB;

  @BeforeAll
  static void startTwoInstances() throws IOException {
    config = Files.createTempFile("devicelogin-several", ".json");
    Files.writeString(
        config,
        """
        { "clients": [ { "client_id": "%s", "scopes": ["openid"] } ],
          "rate_limits": { "device_authorizations_per_ip_per_minute": %d,
                           "device_authorizations_per_client_per_minute": %d } }
        """
            .formatted(TestClients.OTHER_CLI, PER_IP, PER_CLIENT));
    // The tests' loopback address is a trusted proxy, so that requests can come "from" other
    // addresses.
    a =
        TestServer.start(
            Backend.POSTGRES,
            List.of("--trusted-proxy", "127.0.0.1", "--config", config.toString()));
    b = a.anotherInstance();
    onA = a.oauth();
    onB = b.oauth();
  }

  @AfterAll
  static void stopBoth() throws IOException {
    try {
      if (b != null) {
        b.close();
      }
    } finally {
      if (a != null) {
        a.close();
      }
      Files.deleteIfExists(config);
    }
  }

  @BeforeEach
  void aNewMinute() {
    // A new rate-limit window; no code of an earlier test matters here.
    a.clock.advance(Duration.ofMinutes(1));
  }

  private static void after(Duration d) {
    a.clock.advance(d);
  }

  private static Response deviceAuthorization(OAuthCalls on, String ip, String clientId) {
    return on.send(
        on.request("/oauth2/device_authorization")
            .header("X-Forwarded-For", ip)
            .header("Content-Type", OAuthCalls.FORM)
            .POST(HttpRequest.BodyPublishers.ofString(OAuthCalls.form("client_id", clientId))));
  }

  @Test
  void theInstancesAreTwoServersWithOneClock() {
    assertThat(b.clock).isSameAs(a.clock);
    assertThat(b.server.port()).isNotEqualTo(a.server.port());
  }

  @Test
  void aCodePolledOnAThenAtOnceOnBGetsSlowDownFromB() {
    DeviceCode code = onA.deviceCode();
    assertPending(onA.poll(code));
    assertSlowDown(onB.poll(code), 10);
  }

  @Test
  void theIntervalGrownOnOneInstanceIsTheOneTheOtherEnforces() {
    PollRules.theGrownIntervalHoldsForLaterPolls(onA, onB, a.clock);
  }

  @Test
  void aPollRejectedOnBDoesNotMoveTheClockThatAMeasuresFrom() {
    PollRules.aRefusedPollDoesNotMoveTheClock(onA, onB, a.clock);
  }

  @Test
  void theFirstPollIsNeverThrottledWhicheverInstanceIssuedTheCode() {
    DeviceCode code = onA.deviceCode();
    assertPending(onB.poll(code));
  }

  @Test
  void pollsAlternatingBetweenTheInstancesAtTheIntervalAreNeverThrottled() {
    PollRules.pollsAtTheIntervalAreNeverThrottled(onA, onB, a.clock);
  }

  @Test
  void ofPollsOfOneCodeSentToBothInstancesAtOnceExactlyOneIsPending() throws Exception {
    DeviceCode code = onA.deviceCode();
    List<Response> answers = atOnce(16, i -> (i % 2 == 0 ? onA : onB).poll(code));
    assertThat(answers)
        .extracting(Response::error)
        .containsOnly("authorization_pending", "slow_down")
        .filteredOn("authorization_pending"::equals)
        .hasSize(1);
    // Each slow_down saw the ones before it, on whichever instance: 10 s, 15 s, … 80 s, once each.
    assertThat(answers)
        .filteredOn(r -> r.error().equals("slow_down"))
        .extracting(r -> r.json().path("interval").asLong())
        .containsExactlyInAnyOrderElementsOf(
            LongStream.rangeClosed(2, 16).map(n -> 5 * n).boxed().toList());
  }

  @Test
  void requestsFromOneAddressToBothInstancesCountTogetherAgainstThePerIpLimit() {
    String ip = "203.0.113.30";
    for (int i = 0; i < PER_IP; i++) {
      OAuthCalls.deviceCode(deviceAuthorization(i % 2 == 0 ? onA : onB, ip, TestClients.CLI));
    }
    for (OAuthCalls on : List.of(onA, onB)) {
      Response refused = deviceAuthorization(on, ip, TestClients.CLI);
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.error()).isEqualTo("too_many_requests");
      assertThat(refused.text("error_description")).contains("per IP");
      assertThat(Long.parseLong(refused.header("Retry-After").orElseThrow())).isBetween(1L, 60L);
    }
    // Issue 13, finding 10: one audit row per key and window, whichever instance refused first.
    assertThat(b.context().audit().find(null, TestClients.CLI, null, 10))
        .filteredOn(e -> e.event() == AuditEvent.Type.RATE_LIMITED && ip.equals(e.ip()))
        .hasSize(1);
    // Another address is not affected, and the limited one may ask again once Retry-After has
    // passed.
    OAuthCalls.deviceCode(deviceAuthorization(onB, "203.0.113.31", TestClients.CLI));
    after(
        Duration.ofSeconds(
            Long.parseLong(
                deviceAuthorization(onA, ip, TestClients.CLI)
                    .header("Retry-After")
                    .orElseThrow())));
    OAuthCalls.deviceCode(deviceAuthorization(onB, ip, TestClients.CLI));
  }

  @Test
  void requestsOfOneClientToBothInstancesCountTogetherAgainstThePerClientLimit() {
    for (int i = 0; i < PER_CLIENT; i++) {
      OAuthCalls.deviceCode(
          deviceAuthorization(
              i % 2 == 0 ? onA : onB, "198.18.0." + (1 + i), TestClients.OTHER_CLI));
    }
    for (OAuthCalls on : List.of(onA, onB)) {
      Response refused = deviceAuthorization(on, "198.18.1.1", TestClients.OTHER_CLI);
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.text("error_description")).contains("per client");
    }
    assertThat(a.context().audit().find(null, TestClients.OTHER_CLI, null, 10))
        .filteredOn(e -> e.event() == AuditEvent.Type.RATE_LIMITED)
        .first()
        .satisfies(e -> assertThat(e.detail()).contains("per client"));
    // Another client is not affected.
    OAuthCalls.deviceCode(deviceAuthorization(onB, "198.18.1.1", TestClients.CLI));
  }

  @Test
  void ofRequestsFromOneAddressSentToBothInstancesAtOnceExactlyTheLimitIsAccepted()
      throws Exception {
    List<Response> answers =
        atOnce(
            12, i -> deviceAuthorization(i % 2 == 0 ? onA : onB, "203.0.113.40", TestClients.CLI));
    assertThat(answers)
        .extracting(Response::status)
        .containsOnly(200, 429)
        .filteredOn(s -> s == 200)
        .hasSize(PER_IP);
    answers.stream().filter(r -> r.status() == 200).forEach(OAuthCalls::deviceCode);
  }

  /** {@code n} requests, each on a thread of its own, sent when all are ready. */
  private static List<Response> atOnce(int n, IntFunction<Response> request) {
    try (StartingGate gate = new StartingGate(n)) {
      return gate.releaseEach(request);
    }
  }
}
