package io.devicelogin.client.http;

import java.net.ProxySelector;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How the library talks HTTP: timeouts, proxy and trust. Immutable; the {@code with…} methods
 * return a changed copy.
 *
 * @param proxySelector empty: the JDK's default
 * @param sslContext empty: the JDK's trust store
 */
public record HttpSettings(
    Duration connectTimeout,
    Duration requestTimeout,
    Optional<ProxySelector> proxySelector,
    Optional<SSLContext> sslContext,
    String userAgent) {
  /** The default bound on one request, from sending to the end of the response. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(20);

  /** The default bound on opening a connection. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * @throws IllegalArgumentException if a timeout is not positive
   */
  public HttpSettings {
    positive(connectTimeout);
    positive(requestTimeout);
    Objects.requireNonNull(proxySelector, "proxySelector");
    Objects.requireNonNull(sslContext, "sslContext");
    Objects.requireNonNull(userAgent, "userAgent");
  }

  /** Default timeouts, no proxy, the JDK's trust store. */
  public static HttpSettings defaults() {
    return new HttpSettings(
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_REQUEST_TIMEOUT,
        Optional.empty(),
        Optional.empty(),
        "devicelogin/0.1");
  }

  /**
   * Defaults, plus the proxy named by {@code https_proxy}/{@code HTTPS_PROXY}, {@code http_proxy}
   * (lower case only), {@code all_proxy}/{@code ALL_PROXY} and {@code no_proxy}/{@code NO_PROXY}
   * (see {@link EnvironmentProxySelector}), and the CA bundle named by {@code
   * DEVICELOGIN_CA_BUNDLE} (or else {@code SSL_CERT_FILE}), trusted in addition to the JDK's
   * certificate authorities, in the process environment.
   *
   * @throws IllegalArgumentException if a variable is set but unusable; the message names it
   */
  public static HttpSettings fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** As {@link #fromEnvironment()}, reading the given variables. */
  public static HttpSettings fromEnvironment(Map<String, String> env) {
    HttpSettings settings =
        defaults().withProxySelector(EnvironmentProxySelector.fromEnvironment(env));
    for (String variable : new String[] {"DEVICELOGIN_CA_BUNDLE", "SSL_CERT_FILE"}) {
      String bundle = env.get(variable);
      // An empty variable counts as unset, as for the proxy variables.
      if (bundle == null || bundle.isBlank()) {
        continue;
      }
      Path path;
      try {
        path = Path.of(bundle);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException(variable + ": not a file path: " + bundle, e);
      }
      try {
        return settings.withSslContext(TrustBundles.withBundle(path));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(variable + ": " + e.getMessage(), e);
      }
    }
    return settings;
  }

  public HttpSettings withConnectTimeout(Duration timeout) {
    return new HttpSettings(timeout, requestTimeout, proxySelector, sslContext, userAgent);
  }

  public HttpSettings withRequestTimeout(Duration timeout) {
    return new HttpSettings(connectTimeout, timeout, proxySelector, sslContext, userAgent);
  }

  /** With {@code selector}; {@code null} for the JDK's default. */
  public HttpSettings withProxySelector(ProxySelector selector) {
    return new HttpSettings(
        connectTimeout, requestTimeout, Optional.ofNullable(selector), sslContext, userAgent);
  }

  /** With {@code context}; {@code null} for the JDK's trust store. */
  public HttpSettings withSslContext(SSLContext context) {
    return new HttpSettings(
        connectTimeout, requestTimeout, proxySelector, Optional.ofNullable(context), userAgent);
  }

  public HttpSettings withUserAgent(String agent) {
    return new HttpSettings(connectTimeout, requestTimeout, proxySelector, sslContext, agent);
  }

  private static void positive(Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("a timeout must be positive");
    }
  }
}
