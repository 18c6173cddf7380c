package io.devicelogin.client.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of {@code NO_PROXY} matching and of the redaction of proxy credentials. */
class EnvironmentProxySelectorPropertiesTest {

  @Provide
  Arbitrary<String> labels() {
    return Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(12);
  }

  @Provide
  Arbitrary<String> domains() {
    return labels().list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l) + ".test");
  }

  @Property(tries = 300)
  void aDomainCoversItselfAndItsSubdomainsButNotLookAlikes(
      @ForAll("domains") String domain, @ForAll("labels") String label) {
    for (String entry : List.of(domain, "." + domain, "*." + domain, domain.toUpperCase())) {
      EnvironmentProxySelector selector =
          EnvironmentProxySelector.fromEnvironment(
              Map.of("HTTPS_PROXY", "http://proxy:3128", "NO_PROXY", "other.test, " + entry));
      assertThat(selector.bypasses(URI.create("https://" + domain + "/"))).isTrue();
      assertThat(selector.bypasses(URI.create("https://" + label + "." + domain + "/"))).isTrue();
      assertThat(selector.bypasses(URI.create("https://" + label + domain + "/"))).isFalse();
      assertThat(selector.bypasses(URI.create("https://" + domain + "." + label + "/"))).isFalse();
    }
  }

  @Provide
  Arbitrary<String> passwords() {
    // Anything a person might type, including the characters that split URLs.
    Arbitrary<String> tail =
        Arbitraries.strings()
            .withCharRange('!', '~')
            .withChars(' ', 'é', '€')
            .ofMinLength(0)
            .ofMaxLength(20);
    return tail.map(t -> "pw" + t);
  }

  @Provide
  Arbitrary<String> proxyValues() {
    Arbitrary<String> prefix = Arbitraries.of("", "http://", "HTTP://", "https://", "socks5://");
    Arbitrary<String> host = Arbitraries.of("proxy.corp:3128", "proxy", "[::1]:8080", "bad host:x");
    return Combinators.combine(prefix, passwords(), host)
        .as((p, pw, h) -> p + "user9:" + pw + "@" + h + "\u0000" + pw);
  }

  @Property(tries = 500)
  void credentialsNeverReachTheMessage(@ForAll("proxyValues") String valueAndPassword) {
    int split = valueAndPassword.lastIndexOf('\u0000');
    String value = valueAndPassword.substring(0, split);
    String password = valueAndPassword.substring(split + 1);
    Throwable thrown =
        catchThrowable(() -> EnvironmentProxySelector.fromEnvironment(Map.of("ALL_PROXY", value)));
    assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage()))
          .doesNotContain(password.trim())
          .doesNotContain("user9");
    }
  }
}
