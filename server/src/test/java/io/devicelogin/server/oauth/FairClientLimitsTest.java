package io.devicelogin.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.Response;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 4: a client's device authorization budget degrades fairly. A flood from some
 * address groups cannot take the whole of it; an IPv6 address counts as its /64; refusals are
 * counted per client in {@code /metrics} and audited once per key and minute.
 */
// The tests' loopback address is a trusted proxy, so that requests can come "from" other
// addresses; each test starts in a new rate-limit window.
@ServerOnEachBackend(
    args = {"--trusted-proxy", "127.0.0.1"},
    minutesBeforeEachTest = 1)
class FairClientLimitsTest {
  private static final int PER_IP = Defaults.DEVICE_REQUESTS_PER_IP_PER_MINUTE;
  private static final int PER_CLIENT = Defaults.DEVICE_REQUESTS_PER_CLIENT_PER_MINUTE;

  @ServerUnderTest private static TestServer server;
  @ServerUnderTest private static OAuthCalls oauth;

  private static Response from(String ip, String clientId) {
    return oauth.deviceAuthorizationFrom(ip, clientId);
  }

  @Test
  void aFloodFromTwentyAddressesLeavesTheClientToSomeoneElse() {
    double refusedBefore = clientRefusals(TestClients.OTHER_CLI);
    int accepted = 0;
    int refused = 0;
    // The attack of the review: 20 addresses × 30 requests, as fast as they go.
    for (int a = 0; a < PER_CLIENT / PER_IP; a++) {
      for (int i = 0; i < PER_IP; i++) {
        Response r = from("198.18.7." + (1 + a), TestClients.OTHER_CLI);
        if (r.status() == 200) {
          OAuthCalls.deviceCode(r);
          accepted++;
        } else {
          assertThat(r.status()).isEqualTo(429);
          assertThat(r.text("error_description")).contains("per client");
          refused++;
        }
      }
    }
    assertThat(refused).as("the flood is refused its last part").isPositive();
    assertThat(accepted).isLessThan(PER_CLIENT);

    // Someone else, asking for the first time this minute, still gets a code.
    Response person = from("203.0.113.77", TestClients.OTHER_CLI);
    assertThat(person.status()).as(person.body()).isEqualTo(200);
    OAuthCalls.deviceCode(person);
    assertThat(clientRefusals(TestClients.OTHER_CLI) - refusedBefore)
        .as("the per-client figure in /metrics")
        .isEqualTo(refused);
  }

  @Test
  void twoAddressesInOneIpv6SlashSixtyFourShareOneCount() {
    for (int i = 0; i < PER_IP; i++) {
      String ip = i % 2 == 0 ? "2001:db8:5:6::1" : "2001:db8:5:6:ffff:eeee:dddd:" + (i + 1);
      OAuthCalls.deviceCode(from(ip, TestClients.CLI));
    }
    Response sameSlash64 = from("2001:db8:5:6:1234::99", TestClients.CLI);
    assertThat(sameSlash64.status()).isEqualTo(429);
    assertThat(sameSlash64.text("error_description")).contains("per IP");
    OAuthCalls.deviceCode(from("2001:db8:5:7::1", TestClients.CLI));
  }

  @Test
  void aHundredRefusedRequestsInOneWindowWriteOneAuditRowAndAreAllCounted() {
    String ip = "203.0.113.88";
    for (int i = 0; i < PER_IP; i++) {
      OAuthCalls.deviceCode(from(ip, TestClients.CLI));
    }
    double before = clientRefusals(TestClients.CLI);
    for (int i = 0; i < 100; i++) {
      assertThat(from(ip, TestClients.CLI).status()).isEqualTo(429);
    }
    assertThat(server.context().audit().find(null, TestClients.CLI, null, 1000))
        .filteredOn(e -> e.event() == AuditEvent.Type.RATE_LIMITED && ip.equals(e.ip()))
        .hasSize(1);
    assertThat(clientRefusals(TestClients.CLI) - before).isEqualTo(100);
  }

  /** {@code devicelogin_client_rate_limited_total} of a client, all limits together. */
  private static double clientRefusals(String clientId) {
    Matcher m =
        Pattern.compile(
                "(?m)^devicelogin_client_rate_limited_total\\{[^}]*client_id=\""
                    + clientId.replace('-', '_')
                    + "\"[^}]*\\} ([0-9.E]+)$")
            .matcher(server.context().metrics().scrape());
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }
}
