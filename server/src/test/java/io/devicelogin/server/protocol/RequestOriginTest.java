package io.devicelogin.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.server.DeviceLoginServer;
import io.devicelogin.server.TestHttp;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.testing.TestServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The client IP: X-Forwarded-For believed only from a trusted proxy, read from the right. */
class RequestOriginTest {

  @Nested
  class Resolution {
    private final RequestOrigin behindProxies =
        new RequestOrigin(Set.of("10.0.0.1", "10.1.0.0/16", "fd00::/8"));

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
      RequestOrigin direct = new RequestOrigin(Set.of());
      assertThat(direct.resolve("203.0.113.7", List.of("198.51.100.1"))).isEqualTo("203.0.113.7");
    }

    @Test
    void aPeerThatIsNotATrustedProxyCannotForgeItsAddress() {
      assertThat(behindProxies.resolve("203.0.113.7", List.of("198.51.100.1")))
          .isEqualTo("203.0.113.7");
    }

    @Test
    void theRightMostHopThatIsNotATrustedProxyIsTheClient() {
      // The client sent "6.6.6.6" itself; our proxies appended the real addresses to the right.
      assertThat(behindProxies.resolve("10.0.0.1", List.of("6.6.6.6, 203.0.113.7, 10.1.2.3")))
          .isEqualTo("203.0.113.7");
      assertThat(behindProxies.resolve("10.0.0.1", List.of("203.0.113.7")))
          .isEqualTo("203.0.113.7");
    }

    @Test
    void severalHeaderLinesAreOneListInOrder() {
      // A proxy that adds its own line instead of appending: the client's line comes first.
      assertThat(behindProxies.resolve("10.0.0.1", List.of("6.6.6.6", "203.0.113.7")))
          .isEqualTo("203.0.113.7");
    }

    @Test
    void noHeaderOrOnlyTrustedHopsGiveTheLastTrustedAddress() {
      assertThat(behindProxies.resolve("10.0.0.1", List.of())).isEqualTo("10.0.0.1");
      assertThat(behindProxies.resolve("10.0.0.1", List.of(" "))).isEqualTo("10.0.0.1");
      assertThat(behindProxies.resolve("10.0.0.1", List.of("10.1.0.9, 10.1.0.8")))
          .isEqualTo("10.1.0.9");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "unknown",
          "<script>",
          "evil.example.com",
          "999.1.1.1",
          "1.2.3",
          "010.0.0.1",
          "_hidden",
          "1.2.3.4.5",
          "::g",
          "[::1",
          ".:1",
          "2001:db8::1]"
        })
    void garbageEndsTheWalkAtTheLastAddressAProxyVouchedFor(String garbage) {
      assertThat(behindProxies.resolve("10.0.0.1", List.of(garbage))).isEqualTo("10.0.0.1");
      assertThat(behindProxies.resolve("10.0.0.1", List.of(garbage + ", 10.1.0.5")))
          .isEqualTo("10.1.0.5");
    }

    @Test
    void emptyHopsAreSkipped() {
      assertThat(behindProxies.resolve("10.0.0.1", List.of("203.0.113.7, , ")))
          .isEqualTo("203.0.113.7");
    }

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "2001:DB8:0:0:0:0:0:1       | 2001:db8::1",
          "[2001:db8::1]              | 2001:db8::1",
          "[2001:db8::1]:4711         | 2001:db8::1",
          "2001:db8:0:0:1:0:0:1       | 2001:db8::1:0:0:1",
          "2001:0db8:0000:0000:0000:0000:0002:0001 | 2001:db8::2:1",
          "fe80::1%eth0               | fe80::1",
          "::ffff:203.0.113.7         | 203.0.113.7",
          "203.0.113.7:51234          | 203.0.113.7",
          "0:0:0:0:0:0:0:0            | ::",
          "1:0:0:0:0:0:0:0            | 1::",
          "1:0:1:0:1:0:1:0            | 1:0:1:0:1:0:1:0"
        })
    void ipv6AndPortFormsComeOutCanonical(String hop, String expected) {
      assertThat(behindProxies.resolve("10.0.0.1", List.of(hop))).isEqualTo(expected);
    }

    @Test
    void anIpv6PeerIsMatchedAgainstAnIpv6Block() {
      assertThat(behindProxies.resolve("[fd00::17]", List.of("2001:db8::5")))
          .isEqualTo("2001:db8::5");
      assertThat(behindProxies.resolve("0:0:0:0:0:0:0:1", List.of("2001:db8::5"))).isEqualTo("::1");
    }

    @Test
    void literalsAreNeverLookedUp() {
      // A name would need DNS: it is refused before any lookup, however it is spelled.
      assertThat(RequestOrigin.canonical("localhost")).isEmpty();
      assertThat(RequestOrigin.canonical("deadbeef")).isEmpty();
      assertThat(RequestOrigin.canonical("1e100.net")).isEmpty();
      assertThat(RequestOrigin.canonical("203.0.113.7")).contains("203.0.113.7");
    }
  }

  @Nested
  class TrustedProxyBlocks {
    @Test
    void addressesAndCidrBlocksMatchByPrefix() throws Exception {
      RequestOrigin.AddressBlock block = RequestOrigin.AddressBlock.parse("10.1.0.0/16");
      assertThat(block.contains(InetAddress.getByName("10.1.255.3"))).isTrue();
      assertThat(block.contains(InetAddress.getByName("10.2.0.1"))).isFalse();
      assertThat(block.contains(InetAddress.getByName("::1"))).isFalse();
      assertThat(blockContains("192.0.2.0/25", "192.0.2.127")).isTrue();
      assertThat(blockContains("192.0.2.0/25", "192.0.2.128")).isFalse();
      assertThat(blockContains("2001:db8::/32", "2001:db8:ff::1")).isTrue();
      assertThat(blockContains("203.0.113.7", "203.0.113.7")).isTrue();
      assertThat(blockContains("0.0.0.0/0", "198.51.100.1")).isTrue();
      assertThat(RequestOrigin.AddressBlock.parse("2001:DB8::1").toString())
          .isEqualTo("2001:db8::1/128");
    }

    private static boolean blockContains(String block, String address) throws Exception {
      return RequestOrigin.AddressBlock.parse(block).contains(InetAddress.getByName(address));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "proxy.internal",
          "10.0.0.0/33",
          "10.0.0.0/",
          "10.0.0.1:80",
          "[::1]",
          "::1/129",
          "fe80::1%eth0",
          "",
          "10.0.0.0/8/8"
        })
    void anythingElseIsRefused(String text) {
      assertThatThrownBy(() -> RequestOrigin.AddressBlock.parse(text))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new RequestOrigin(Set.of(text)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class OverHttp {
    private static String issuedFrom(TestServer server) {
      return server.context().audit().find(null, "devicelogin-cli", null, 50).stream()
          .filter(e -> e.event() == AuditEvent.Type.DEVICE_CODE_ISSUED)
          .map(AuditEvent::ip)
          .findFirst()
          .orElseThrow();
    }

    private static HttpResponse<String> deviceRequest(URI endpoint, String... headers) {
      HttpResponse<String> response =
          TestHttp.postForm(endpoint, Map.of("client_id", "devicelogin-cli"), headers);
      assertThat(response.statusCode()).isEqualTo(200);
      IssuedSecrets.register(TestHttp.json(response).path("device_code").asText());
      return response;
    }

    @Test
    void aForwardedForFromAnUntrustedPeerIsIgnored() {
      try (TestServer server = TestServer.start()) {
        deviceRequest(server.uri("/oauth2/device_authorization"), "X-Forwarded-For", "203.0.113.7");
        assertThat(issuedFrom(server)).isEqualTo("127.0.0.1");
      }
    }

    @Test
    void behindATrustedProxyTheAuditRowShowsTheClient() {
      try (TestServer server =
          TestServer.start(List.of("--trusted-proxy", "127.0.0.1", "--trusted-proxy=10.0.0.0/8"))) {
        deviceRequest(
            server.uri("/oauth2/device_authorization"),
            "X-Forwarded-For",
            "6.6.6.6, 203.0.113.7, 10.20.30.40");
        assertThat(issuedFrom(server)).isEqualTo("203.0.113.7");
        assertThat(
                server
                    .jdbc()
                    .count(
                        "SELECT COUNT(*) FROM device_authorizations WHERE request_ip = ?",
                        "203.0.113.7"))
            .isEqualTo(1);
      }
    }

    @Test
    void aSecondHeaderLineIsReadAfterTheFirst() {
      try (TestServer server = TestServer.start(List.of("--trusted-proxy", "127.0.0.1"))) {
        deviceRequest(
            server.uri("/oauth2/device_authorization"),
            "X-Forwarded-For",
            "6.6.6.6",
            "X-Forwarded-For",
            "2001:DB8:0:0:0:0:0:7");
        assertThat(issuedFrom(server)).isEqualTo("2001:db8::7");
      }
    }

    @Test
    void garbageFromBehindATrustedProxyIsNeverTheAddress() {
      try (TestServer server = TestServer.start(List.of("--trusted-proxy", "127.0.0.1"))) {
        deviceRequest(
            server.uri("/oauth2/device_authorization"),
            "X-Forwarded-For",
            "<script>alert(1)</script>");
        assertThat(issuedFrom(server)).isEqualTo("127.0.0.1");
      }
    }

    @Test
    void anIpv6PeerIsCanonicalAndCanBeATrustedProxy(@TempDir Path dataDir) {
      try (DeviceLoginServer server =
          TestServer.startFromArgs(
              List.of(
                  "--port",
                  "0",
                  "--host",
                  "::1",
                  "--data-dir",
                  dataDir.toString(),
                  "--demo",
                  "--trusted-proxy",
                  "::1"))) {
        assertThat(server.issuer()).isEqualTo("http://[::1]:" + server.port());
        URI endpoint = URI.create("http://[::1]:" + server.port() + "/oauth2/device_authorization");
        deviceRequest(endpoint);
        deviceRequest(endpoint, "X-Forwarded-For", "198.51.100.23:40000");
        List<String> ips =
            server.context().audit().find(null, "devicelogin-cli", null, 10).stream()
                .filter(e -> e.event() == AuditEvent.Type.DEVICE_CODE_ISSUED)
                .map(AuditEvent::ip)
                .toList();
        assertThat(ips).containsExactly("198.51.100.23", "::1");
      }
    }
  }

  @Test
  void canonicalIsEmptyForNull() {
    assertThat(RequestOrigin.canonical(null)).isEqualTo(Optional.empty());
  }
}
