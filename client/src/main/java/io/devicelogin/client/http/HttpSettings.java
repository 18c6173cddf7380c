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
 */
public final class HttpSettings {
  /** The default bound on one request, from sending to the end of the response. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(20);

  /** The default bound on opening a connection. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final ProxySelector proxySelector;
  private final SSLContext sslContext;
  private final String userAgent;

  private HttpSettings(
      Duration connectTimeout,
      Duration requestTimeout,
      ProxySelector proxySelector,
      SSLContext sslContext,
      String userAgent) {
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.proxySelector = proxySelector;
    this.sslContext = sslContext;
    this.userAgent = userAgent;
  }

  /** Default timeouts, no proxy, the JDK's trust store. */
  public static HttpSettings defaults() {
    return new HttpSettings(
        DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, null, null, "devicelogin/0.1");
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
    return new HttpSettings(
        positive(timeout), requestTimeout, proxySelector, sslContext, userAgent);
  }

  public HttpSettings withRequestTimeout(Duration timeout) {
    return new HttpSettings(
        connectTimeout, positive(timeout), proxySelector, sslContext, userAgent);
  }

  public HttpSettings withProxySelector(ProxySelector selector) {
    return new HttpSettings(connectTimeout, requestTimeout, selector, sslContext, userAgent);
  }

  public HttpSettings withSslContext(SSLContext context) {
    return new HttpSettings(connectTimeout, requestTimeout, proxySelector, context, userAgent);
  }

  public HttpSettings withUserAgent(String agent) {
    return new HttpSettings(
        connectTimeout, requestTimeout, proxySelector, sslContext, Objects.requireNonNull(agent));
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public Optional<ProxySelector> proxySelector() {
    return Optional.ofNullable(proxySelector);
  }

  public Optional<SSLContext> sslContext() {
    return Optional.ofNullable(sslContext);
  }

  public String userAgent() {
    return userAgent;
  }

  private static Duration positive(Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("a timeout must be positive");
    }
    return d;
  }
}
