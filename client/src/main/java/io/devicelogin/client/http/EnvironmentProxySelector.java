package io.devicelogin.client.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses a proxy the way curl and most command-line tools do: {@code https_proxy}/{@code
 * HTTPS_PROXY} for https URIs, {@code http_proxy} (lower case only, as curl, since {@code
 * HTTP_PROXY} can be set by a CGI request header) for http URIs, {@code all_proxy}/{@code ALL_PROXY}
 * for either, and {@code no_proxy}/{@code NO_PROXY} for the hosts that go direct.
 *
 * <p>{@code NO_PROXY} is a comma-separated list: {@code *} for every host; a domain, with or without
 * a leading dot, matching itself and its subdomains; an IP address; any of these with {@code :port}.
 * Credentials in a proxy URL are not supported and make the proxy unusable, which is reported
 * rather than ignored.
 */
public final class EnvironmentProxySelector extends ProxySelector {
  private final InetSocketAddress httpsProxy;
  private final InetSocketAddress httpProxy;
  private final List<String> noProxy;

  EnvironmentProxySelector(
      InetSocketAddress httpsProxy, InetSocketAddress httpProxy, List<String> noProxy) {
    this.httpsProxy = httpsProxy;
    this.httpProxy = httpProxy;
    this.noProxy = noProxy;
  }

  /**
   * The selector for these environment variables, or null when they name no proxy (the JDK's own
   * selection then applies).
   *
   * @throws IllegalArgumentException if a proxy variable cannot be parsed
   */
  public static EnvironmentProxySelector fromEnvironment(Map<String, String> env) {
    Optional<String> all = first(env, "all_proxy", "ALL_PROXY");
    InetSocketAddress https =
        first(env, "https_proxy", "HTTPS_PROXY").or(() -> all).map(p -> parseProxy(p)).orElse(null);
    InetSocketAddress http =
        first(env, "http_proxy").or(() -> all).map(p -> parseProxy(p)).orElse(null);
    if (https == null && http == null) {
      return null;
    }
    List<String> noProxy = new ArrayList<>();
    first(env, "no_proxy", "NO_PROXY")
        .ifPresent(
            list -> {
              for (String entry : list.split(",")) {
                String e = entry.trim().toLowerCase(Locale.ROOT);
                if (!e.isEmpty()) {
                  noProxy.add(e);
                }
              }
            });
    return new EnvironmentProxySelector(https, http, noProxy);
  }

  @Override
  public List<Proxy> select(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    InetSocketAddress proxy = "https".equals(scheme) ? httpsProxy : "http".equals(scheme) ? httpProxy : null;
    if (proxy == null || bypasses(uri)) {
      return List.of(Proxy.NO_PROXY);
    }
    return List.of(new Proxy(Proxy.Type.HTTP, proxy));
  }

  @Override
  public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
    // Nothing to learn: there is one proxy, and the caller reports the failure.
  }

  /** Whether {@code NO_PROXY} sends this URI direct. */
  public boolean bypasses(URI uri) {
    String host = uri.getHost();
    if (host == null) {
      return false;
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    for (String entry : noProxy) {
      if (entry.equals("*")) {
        return true;
      }
      String pattern = entry;
      int entryPort = -1;
      int colon = entry.lastIndexOf(':');
      if (colon > 0 && entry.indexOf(':') == colon && entry.substring(colon + 1).matches("\\d+")) {
        pattern = entry.substring(0, colon);
        entryPort = Integer.parseInt(entry.substring(colon + 1));
      }
      if (pattern.startsWith("[") && pattern.endsWith("]")) {
        pattern = pattern.substring(1, pattern.length() - 1);
      }
      if (pattern.startsWith("*.")) {
        pattern = pattern.substring(1);
      }
      if (pattern.startsWith(".")) {
        pattern = pattern.substring(1);
      }
      boolean hostMatches = host.equals(pattern) || host.endsWith("." + pattern);
      if (hostMatches && (entryPort == -1 || entryPort == port)) {
        return true;
      }
    }
    return false;
  }

  private static Optional<String> first(Map<String, String> env, String... names) {
    for (String name : names) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return Optional.of(value.trim());
      }
    }
    return Optional.empty();
  }

  static InetSocketAddress parseProxy(String text) {
    String withScheme = text.contains("://") ? text : "http://" + text;
    URI uri;
    try {
      uri = URI.create(withScheme);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the proxy setting is not a URL: " + redactCredentials(text));
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "only HTTP proxies are supported, not " + scheme + "://");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "proxy credentials in the URL are not supported: " + redactCredentials(text));
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("the proxy setting has no host: " + text);
    }
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return InetSocketAddress.createUnresolved(uri.getHost(), port);
  }

  private static String redactCredentials(String text) {
    return text.replaceAll("//[^@/]*@", "//[REDACTED]@");
  }

  @Override
  public String toString() {
    return "EnvironmentProxySelector[https=" + httpsProxy + ", http=" + httpProxy + ", noProxy=" + noProxy + "]";
  }
}
