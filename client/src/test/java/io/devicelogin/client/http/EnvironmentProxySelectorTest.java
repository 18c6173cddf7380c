package io.devicelogin.client.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules by which {@link EnvironmentProxySelector} reads the proxy variables. */
class EnvironmentProxySelectorTest {

  /** A selector from alternating names and values. */
  static EnvironmentProxySelector selector(String... namesAndValues) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      env.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return EnvironmentProxySelector.fromEnvironment(env);
  }

  /** "host:port" of the proxy chosen for {@code uri}, or "DIRECT". */
  static String route(EnvironmentProxySelector selector, String uri) {
    List<Proxy> proxies = selector.select(URI.create(uri));
    assertThat(proxies).hasSize(1);
    Proxy proxy = proxies.get(0);
    if (proxy.type() == Proxy.Type.DIRECT) {
      return "DIRECT";
    }
    assertThat(proxy.type()).isEqualTo(Proxy.Type.HTTP);
    InetSocketAddress address = (InetSocketAddress) proxy.address();
    // Unresolved, so that a proxy name is looked up when a request is made, not at start-up.
    assertThat(address.isUnresolved()).isTrue();
    return address.getHostString() + ":" + address.getPort();
  }

  /** Where each URI is routed, in order: {@code DIRECT} or the proxy's {@code host:port}. */
  private static List<String> routes(EnvironmentProxySelector s, String... uris) {
    return Arrays.stream(uris).map(uri -> route(s, uri)).toList();
  }

  @Nested
  class WhichVariable {
    @Test
    void noProxyVariablesGiveNullSoTheJdkDefaultApplies() {
      assertThat(selector()).isNull();
      assertThat(selector("NO_PROXY", "example.com", "no_proxy", "*")).isNull();
      assertThat(selector("HTTPS_PROXY", "", "https_proxy", "  ", "all_proxy", "\t")).isNull();
      assertThat(selector("PATH", "/usr/bin", "HOME", "/root")).isNull();
    }

    @Test
    void httpsProxyServesHttpsUrisOnly() {
      EnvironmentProxySelector s = selector("HTTPS_PROXY", "http://proxy.corp:3128");
      assertThat(routes(s, "https://id.example.com/token", "http://id.example.com/token"))
          .containsExactly("proxy.corp:3128", "DIRECT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https_proxy", "all_proxy"})
    void theLowerCaseVariableWinsOverTheUpperCase(String lower) {
      EnvironmentProxySelector s =
          selector(lower, "http://lower:1111", lower.toUpperCase(Locale.ROOT), "http://upper:2222");
      assertThat(route(s, "https://id.example.com/")).isEqualTo("lower:1111");
    }

    @Test
    void anEmptyLowerCaseVariableCountsAsUnset() {
      EnvironmentProxySelector s = selector("https_proxy", "", "HTTPS_PROXY", "http://upper:2222");
      assertThat(route(s, "https://id.example.com/")).isEqualTo("upper:2222");
    }

    @Test
    void httpProxyIsReadInLowerCaseOnly() {
      // HTTP_PROXY can come from a CGI request's "Proxy:" header (httpoxy), so curl ignores it.
      assertThat(selector("HTTP_PROXY", "http://upper:2222")).isNull();
      EnvironmentProxySelector s =
          selector("http_proxy", "http://lower:1111", "HTTP_PROXY", "http://upper:2222");
      assertThat(routes(s, "http://id.example.com/", "https://id.example.com/"))
          .containsExactly("lower:1111", "DIRECT");
    }

    @Test
    void allProxyIsTheFallbackForBothSchemes() {
      EnvironmentProxySelector s = selector("ALL_PROXY", "http://all:3128");
      assertThat(routes(s, "https://id.example.com/", "http://id.example.com/"))
          .containsExactly("all:3128", "all:3128");
    }

    @Test
    void specificVariablesWinOverAllProxy() {
      EnvironmentProxySelector s =
          selector(
              "ALL_PROXY", "http://all:3128",
              "HTTPS_PROXY", "http://secure:3129",
              "http_proxy", "http://plain:3130");
      assertThat(routes(s, "https://id.example.com/", "http://id.example.com/"))
          .containsExactly("secure:3129", "plain:3130");
    }

    @Test
    void otherSchemesGoDirect() {
      EnvironmentProxySelector s = selector("ALL_PROXY", "http://all:3128");
      assertThat(routes(s, "ftp://files.example.com/", "file:///etc/hosts"))
          .containsExactly("DIRECT", "DIRECT");
    }

    @Test
    void selectRejectsNullAsTheContractSays() {
      EnvironmentProxySelector s = selector("ALL_PROXY", "http://all:3128");
      assertThatThrownBy(() -> s.select(null)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class ProxyUrls {
    @ParameterizedTest
    @CsvSource({
      "http://proxy.corp:3128, proxy.corp:3128",
      "proxy.corp:3128, proxy.corp:3128",
      "http://proxy.corp, proxy.corp:80",
      "proxy.corp, proxy.corp:80",
      "http://proxy.corp:3128/, proxy.corp:3128",
      "HTTP://Proxy.Corp:3128, proxy.corp:3128",
      "'  http://proxy.corp:3128  ', proxy.corp:3128",
      "http://10.0.0.7:8080, 10.0.0.7:8080",
      "http://[::1]:3128, [::1]:3128",
      // Docker Compose service names have underscores, which java.net.URI rejects.
      "http://squid_proxy:3128, squid_proxy:3128",
    })
    void acceptedForms(String value, String expected) {
      assertThat(route(selector("HTTPS_PROXY", value), "https://id.example.com/"))
          .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
      "socks5://proxy:1080, only HTTP proxies",
      "socks5h://proxy:1080, only HTTP proxies",
      "https://proxy:3128, https:// proxy",
      "http://, no host",
      "http://:3128, no host",
      "http://proxy:0, port",
      "http://proxy:65536, port",
      "http://proxy:99999, port",
      "http://proxy:abc, port",
      "http://::1:3128, IPv6 address without [brackets]",
      "http://[zz::1]:3128, malformed IPv6",
      "http://[::1]x, not a URL",
      "http://pro xy:3128, malformed host",
      "ht:tp://proxy, not a URL",
    })
    void malformedValuesAreRefusedNamingTheVariable(String value, String problem) {
      assertThatThrownBy(() -> selector("HTTPS_PROXY", value))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("HTTPS_PROXY: ")
          .hasMessageContaining(problem);
    }

    @Test
    void aMalformedAllProxyIsReportedUnderItsOwnName() {
      assertThatThrownBy(() -> selector("all_proxy", "socks5://proxy:1080"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("all_proxy: ");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "http://alice:s3cr3t-pw@proxy.corp:3128",
          "http://alice:s3cr3t-pw@proxy.corp:3128/",
          "alice:s3cr3t-pw@proxy.corp:3128",
          "HTTP://alice:s3cr3t-pw@proxy.corp:3128",
          "http://alice:s3cr3t/pw@proxy.corp:3128",
          "http://alice:s3cr3t@pw@proxy.corp:3128",
          "http://alice:s3cr3t#pw@proxy.corp:3128",
          "http://alice:s3cr3t?pw@proxy.corp:3128",
          "http://alice:s3cr3t pw@proxy.corp:3128",
          "http://alice:s3cr3t%zz@proxy.corp:3128",
          "http://alice:s3cr3t-pw@proxy_corp:3128",
          "http://alice:s3cr3t-pw@proxy.corp:notaport",
          "http://alice:s3cr3t://pw@proxy.corp:3128",
          "alice:s3cr3t://pw@proxy.corp:3128",
          "https://alice:s3cr3t-pw@proxy.corp:3128",
          "socks5://alice:s3cr3t-pw@proxy.corp:1080",
          "http://:s3cr3t-pw@proxy.corp:3128",
          "http://alice@proxy.corp:3128",
        })
    void credentialsAreRefusedWithoutRepeatingThem(String value) {
      for (String variable : List.of("HTTPS_PROXY", "http_proxy", "ALL_PROXY")) {
        Throwable thrown = catchThrowable(() -> selector(variable, value));
        assertThat(thrown)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith(variable + ": credentials in the proxy URL are not supported")
            .hasMessageContaining("[REDACTED]@")
            .hasMessageContaining("proxy");
        // Neither the message nor any cause repeats the user or the password, or a piece of it.
        for (Throwable t = thrown; t != null; t = t.getCause()) {
          assertThat(String.valueOf(t.getMessage()))
              .doesNotContain("alice")
              .doesNotContain("s3cr3t")
              .doesNotContain("pw@");
          assertThat(t.toString()).doesNotContain("s3cr3t");
        }
      }
    }

    @Test
    void credentialsThroughHttpSettingsAreRefusedTheSameWay() {
      assertThatThrownBy(
              () -> HttpSettings.fromEnvironment(Map.of("HTTPS_PROXY", "alice:s3cr3t@proxy:3128")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("HTTPS_PROXY")
          .hasMessageNotContaining("s3cr3t")
          .hasMessageNotContaining("alice");
    }

    @Test
    void toStringShowsProxiesAndExceptions() {
      EnvironmentProxySelector s =
          selector("HTTPS_PROXY", "http://proxy:3128", "NO_PROXY", "localhost");
      assertThat(s.toString()).contains("proxy:3128").contains("localhost");
    }
  }

  @Nested
  class NoProxy {
    static final String PROXY = "proxy:3128";

    private String via(String noProxy, String uri) {
      return route(
          selector(
              "HTTPS_PROXY",
              "http://" + PROXY,
              "http_proxy",
              "http://" + PROXY,
              "NO_PROXY",
              noProxy),
          uri);
    }

    @Test
    void starSendsEverythingDirect() {
      assertThat(via("*", "https://id.example.com/")).isEqualTo("DIRECT");
      assertThat(via("*", "http://10.1.2.3:8080/")).isEqualTo("DIRECT");
      assertThat(via("localhost, *", "https://[2001:db8::1]/")).isEqualTo("DIRECT");
    }

    @ParameterizedTest
    @CsvSource({
      // entry,            uri,                               route
      "example.com,        https://example.com/,              DIRECT",
      "example.com,        https://api.example.com/,          DIRECT",
      "example.com,        https://a.b.api.example.com/,      DIRECT",
      "example.com,        http://api.example.com/,           DIRECT",
      "example.com,        https://badexample.com/,           PROXY",
      "example.com,        https://example.com.evil.net/,     PROXY",
      "example.com,        https://example.co/,               PROXY",
      ".example.com,       https://example.com/,              DIRECT",
      ".example.com,       https://api.example.com/,          DIRECT",
      ".example.com,       https://badexample.com/,           PROXY",
      "*.example.com,      https://api.example.com/,          DIRECT",
      "*.example.com,      https://example.com/,              DIRECT",
      "*.example.com,      https://badexample.com/,           PROXY",
      "EXAMPLE.com,        https://Api.Example.COM/,          DIRECT",
      "example.com.,       https://api.example.com/,          DIRECT",
      "example.com,        https://api.example.com./,         DIRECT",
      "localhost,          http://localhost:8080/,            DIRECT",
      "localhost,          http://notlocalhost:8080/,         PROXY",
      // IP literals match as addresses, never as domain suffixes.
      "10.1.2.3,           https://10.1.2.3/,                 DIRECT",
      "10.1.2.3,           https://10.1.2.30/,                PROXY",
      "2.3,                https://10.1.2.3/,                 PROXY",
      "1.2.3,              https://10.1.2.3/,                 PROXY",
      "127.0.0.1,          http://127.0.0.1:8080/,            DIRECT",
      "127.0.0.1,          http://localhost:8080/,            PROXY",
      // IPv6, with or without brackets, in any spelling.
      "[::1],              https://[::1]:8443/,               DIRECT",
      "::1,                https://[::1]:8443/,               DIRECT",
      "[::1],              https://[0:0:0:0:0:0:0:1]/,        DIRECT",
      "[2001:db8::1],      https://[2001:DB8:0::1]/,          DIRECT",
      "[2001:db8::1],      https://[2001:db8::2]/,            PROXY",
      // host:port matches that port only; a URI without a port has its scheme's.
      "example.com:8443,   https://example.com:8443/,         DIRECT",
      "example.com:8443,   https://api.example.com:8443/,     DIRECT",
      "example.com:8443,   https://example.com/,              PROXY",
      "example.com:443,    https://example.com/,              DIRECT",
      "example.com:443,    http://example.com/,               PROXY",
      "example.com:80,     http://example.com/,               DIRECT",
      "10.1.2.3:8080,      http://10.1.2.3:8080/,             DIRECT",
      "10.1.2.3:8080,      http://10.1.2.3:8081/,             PROXY",
      "[::1]:8443,         https://[::1]:8443/,               DIRECT",
      "[::1]:8443,         https://[::1]:9443/,               PROXY",
      // Address blocks.
      "10.0.0.0/8,         https://10.200.3.4/,               DIRECT",
      "10.0.0.0/8,         https://11.0.0.1/,                 PROXY",
      "192.168.1.0/24,     https://192.168.1.77/,             DIRECT",
      "192.168.1.0/24,     https://192.168.2.77/,             PROXY",
      "0.0.0.0/0,          https://8.8.8.8/,                  DIRECT",
      "0.0.0.0/0,          https://dns.google/,               PROXY",
      "2001:db8::/32,      https://[2001:db8:ffff::1]/,       DIRECT",
      "[2001:db8::]/32,    https://[2001:db8:ffff::1]/,       DIRECT",
      "2001:db8::/32,      https://[2001:db9::1]/,            PROXY",
      "10.0.0.0/8,         https://[::ffff:10.0.0.1]/,        DIRECT",
      // Entries that can match nothing are ignored, not fatal.
      "example.com:http,   https://example.com/,              PROXY",
      "[::1,               https://[::1]/,                    PROXY",
      "10.0.0.0/33,        https://10.0.0.1/,                 PROXY",
      "999.1.1.1,          https://10.0.0.1/,                 PROXY",
      "exa mple.com,       https://example.com/,              PROXY",
      "'.',                https://example.com/,              PROXY",
      "'*.',               https://example.com/,              PROXY",
    })
    void entryForms(String entry, String uri, String expected) {
      assertThat(via(entry, uri)).isEqualTo(expected.equals("PROXY") ? PROXY : expected);
    }

    @Test
    void listsToleratePaddingEmptyEntriesAndWhitespaceSeparators() {
      String list = "  localhost ,, example.com\t10.0.0.0/8\n .internal.corp ,";
      assertThat(via(list, "http://localhost/")).isEqualTo("DIRECT");
      assertThat(via(list, "https://api.example.com/")).isEqualTo("DIRECT");
      assertThat(via(list, "https://10.9.8.7/")).isEqualTo("DIRECT");
      assertThat(via(list, "https://git.internal.corp/")).isEqualTo("DIRECT");
      assertThat(via(list, "https://id.elsewhere.com/")).isEqualTo(PROXY);
    }

    @Test
    void lowerCaseNoProxyWinsOverUpperCase() {
      EnvironmentProxySelector s =
          selector(
              "HTTPS_PROXY", "http://" + PROXY,
              "no_proxy", "lower.example",
              "NO_PROXY", "upper.example");
      assertThat(route(s, "https://lower.example/")).isEqualTo("DIRECT");
      assertThat(route(s, "https://upper.example/")).isEqualTo(PROXY);
    }

    @Test
    void upperCaseNoProxyAppliesAlone() {
      EnvironmentProxySelector s =
          selector("HTTPS_PROXY", "http://" + PROXY, "NO_PROXY", "upper.example");
      assertThat(route(s, "https://upper.example/")).isEqualTo("DIRECT");
    }

    @Test
    void anEmptyNoProxyBypassesNothing() {
      assertThat(via("", "https://example.com/")).isEqualTo(PROXY);
      assertThat(via(" , ", "https://example.com/")).isEqualTo(PROXY);
    }

    @Test
    void bypassesAnswersWithoutAProxyChoice() {
      EnvironmentProxySelector s =
          selector("HTTPS_PROXY", "http://" + PROXY, "NO_PROXY", "example.com");
      assertThat(s.bypasses(URI.create("https://api.example.com/"))).isTrue();
      assertThat(s.bypasses(URI.create("https://badexample.com/"))).isFalse();
      assertThat(s.bypasses(URI.create("urn:isbn:0451450523"))).isFalse();
    }
  }
}
