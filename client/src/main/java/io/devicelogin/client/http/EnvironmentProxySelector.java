package io.devicelogin.client.http;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Chooses a proxy the way curl and most command-line tools do: {@code https_proxy}/{@code
 * HTTPS_PROXY} for https URIs, {@code http_proxy} (lower case only, as curl, since {@code
 * HTTP_PROXY} can be set by a CGI request header) for http URIs, {@code all_proxy}/{@code
 * ALL_PROXY} for either when the specific variable is unset, and {@code no_proxy}/{@code NO_PROXY}
 * for the hosts that go direct. The lower-case name wins when both are set; an empty variable
 * counts as unset.
 *
 * <p>A proxy is {@code http://host[:port]} (the scheme may be left out; the port defaults to 80).
 * The JDK's client speaks neither TLS to a proxy nor SOCKS, so {@code https://} and {@code
 * socks*://} proxies are refused, as are credentials in the URL; the error names the variable and
 * never repeats the credentials.
 *
 * <p>{@code NO_PROXY} is a list separated by commas or white space: {@code *} for every host; a
 * domain, bare or with a leading {@code .} or {@code *.}, matching itself and its subdomains but
 * not {@code badexample.com} for {@code example.com}; an IP address ({@code [::1]} or {@code ::1}
 * for IPv6), matched as an address; an address block in CIDR notation ({@code 10.0.0.0/8}); a host,
 * domain or bracketed address with {@code :port}, matching that port only.
 */
public final class EnvironmentProxySelector extends ProxySelector {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  // Starts as the JDK's own literal check does (hex digit or ':'), so getByName never falls to DNS.
  private static final Pattern IPV6 = Pattern.compile("(?=[^:]*:)[0-9a-f:][0-9a-f:.]*");
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
  private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?");

  private final InetSocketAddress httpsProxy;
  private final InetSocketAddress httpProxy;
  private final List<String> noProxyEntries;
  private final List<Rule> noProxy;

  EnvironmentProxySelector(
      InetSocketAddress httpsProxy, InetSocketAddress httpProxy, List<String> noProxy) {
    this.httpsProxy = httpsProxy;
    this.httpProxy = httpProxy;
    this.noProxyEntries = List.copyOf(noProxy);
    this.noProxy = noProxy.stream().map(Rule::parse).toList();
  }

  /**
   * The selector for these environment variables, or null when they name no proxy (the JDK's own
   * selection then applies).
   *
   * @throws IllegalArgumentException if a proxy variable cannot be used; the message names the
   *     variable and leaves out any credentials in it
   */
  public static EnvironmentProxySelector fromEnvironment(Map<String, String> env) {
    Variable all = first(env, "all_proxy", "ALL_PROXY");
    Variable https = first(env, "https_proxy", "HTTPS_PROXY");
    Variable http = first(env, "http_proxy");
    InetSocketAddress httpsProxy = https != null ? https.proxy() : all != null ? all.proxy() : null;
    InetSocketAddress httpProxy = http != null ? http.proxy() : all != null ? all.proxy() : null;
    if (httpsProxy == null && httpProxy == null) {
      return null;
    }
    List<String> noProxy = new ArrayList<>();
    Variable list = first(env, "no_proxy", "NO_PROXY");
    if (list != null) {
      for (String entry : list.value().split("[,\\s]+")) {
        if (!entry.isEmpty()) {
          noProxy.add(entry.toLowerCase(Locale.ROOT));
        }
      }
    }
    return new EnvironmentProxySelector(httpsProxy, httpProxy, noProxy);
  }

  @Override
  public List<Proxy> select(URI uri) {
    if (uri == null) {
      throw new IllegalArgumentException("uri is null");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    InetSocketAddress proxy =
        "https".equals(scheme) ? httpsProxy : "http".equals(scheme) ? httpProxy : null;
    if (proxy == null || bypasses(uri)) {
      return List.of(Proxy.NO_PROXY);
    }
    return List.of(new Proxy(Proxy.Type.HTTP, proxy));
  }

  @Override
  public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
    if (uri == null || sa == null || ioe == null) {
      throw new IllegalArgumentException("connectFailed needs a URI, an address and an exception");
    }
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
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    int port =
        uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    InetAddress address = ipLiteral(host);
    for (Rule rule : noProxy) {
      if (rule.matches(host, address, port)) {
        return true;
      }
    }
    return false;
  }

  /** The address an IP literal stands for, or null for a host name; never a DNS lookup. */
  private static InetAddress ipLiteral(String text) {
    try {
      if (IPV4.matcher(text).matches()) {
        // Parsed here: InetAddress.getByName would send "999.1.1.1" to DNS.
        String[] parts = text.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
          int octet = Integer.parseInt(parts[i]);
          if (octet > 255) {
            return null;
          }
          bytes[i] = (byte) octet;
        }
        return InetAddress.getByAddress(bytes);
      }
      if (IPV6.matcher(text).matches()) {
        // With a colon in it, getByName parses an IPv6 literal or fails; it never asks DNS.
        return InetAddress.getByName(text);
      }
      return null;
    } catch (UnknownHostException | RuntimeException e) {
      return null;
    }
  }

  /** One {@code NO_PROXY} entry. A rule that cannot match anything is kept and never matches. */
  private record Rule(String domain, InetAddress address, int prefixBits, int port, boolean all) {
    static Rule parse(String entry) {
      if (entry.equals("*")) {
        return new Rule(null, null, 0, -1, true);
      }
      String pattern = entry;
      int port = -1;
      if (pattern.startsWith("[")) {
        int close = pattern.indexOf(']');
        if (close > 0) {
          String rest = pattern.substring(close + 1);
          if (rest.matches(":\\d{1,5}")) {
            port = Integer.parseInt(rest.substring(1));
          } else if (!rest.isEmpty() && !rest.matches("/\\d{1,3}")) {
            return never();
          }
          pattern = pattern.substring(1, close) + (rest.startsWith("/") ? rest : "");
        }
      } else {
        int colon = pattern.lastIndexOf(':');
        // One colon is host:port; more than one is a bare IPv6 address, which cannot carry a port.
        if (colon > 0 && pattern.indexOf(':') == colon) {
          String digits = pattern.substring(colon + 1);
          if (!digits.matches("\\d{1,5}")) {
            return never();
          }
          port = Integer.parseInt(digits);
          pattern = pattern.substring(0, colon);
        }
      }
      int slash = pattern.indexOf('/');
      if (slash >= 0) {
        InetAddress block = ipLiteral(pattern.substring(0, slash));
        String bits = pattern.substring(slash + 1);
        if (block == null
            || !bits.matches("\\d{1,3}")
            || Integer.parseInt(bits) > block.getAddress().length * 8) {
          return never();
        }
        return new Rule(null, block, Integer.parseInt(bits), port, false);
      }
      InetAddress address = ipLiteral(pattern);
      if (address != null) {
        return new Rule(null, address, address.getAddress().length * 8, port, false);
      }
      if (pattern.startsWith("*.")) {
        pattern = pattern.substring(2);
      } else if (pattern.startsWith(".")) {
        pattern = pattern.substring(1);
      }
      if (pattern.endsWith(".")) {
        pattern = pattern.substring(0, pattern.length() - 1);
      }
      if (!HOST_NAME.matcher(pattern).matches()) {
        return never();
      }
      return new Rule(pattern, null, 0, port, false);
    }

    static Rule never() {
      return new Rule(null, null, 0, -1, false);
    }

    boolean matches(String host, InetAddress hostAddress, int hostPort) {
      if (all) {
        return true;
      }
      if (port != -1 && port != hostPort) {
        return false;
      }
      if (domain != null) {
        // A domain names hosts, never an IP literal: "0.1" must not match 10.0.0.1.
        return hostAddress == null && (host.equals(domain) || host.endsWith("." + domain));
      }
      if (address != null && hostAddress != null) {
        return inBlock(hostAddress);
      }
      return false;
    }

    private boolean inBlock(InetAddress candidate) {
      byte[] a = address.getAddress();
      byte[] b = candidate.getAddress();
      if (a.length != b.length) {
        return false;
      }
      int shift = a.length * 8 - prefixBits;
      return new BigInteger(1, a).shiftRight(shift).equals(new BigInteger(1, b).shiftRight(shift));
    }
  }

  private record Variable(String name, String value) {
    InetSocketAddress proxy() {
      return parseProxy(name, value);
    }
  }

  private static Variable first(Map<String, String> env, String... names) {
    for (String name : names) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return new Variable(name, value.trim());
      }
    }
    return null;
  }

  /**
   * Parses a proxy URL without {@link URI}, whose errors quote the whole input and which refuses
   * host names with underscores (Docker Compose service names have them).
   */
  static InetSocketAddress parseProxy(String variable, String text) {
    int separator = schemeEnd(text);
    String scheme = separator < 0 ? "http" : text.substring(0, separator).toLowerCase(Locale.ROOT);
    String rest = separator < 0 ? text : text.substring(separator + 3);
    // Any '@' means credentials (a password may itself hold '/', '@' or '#'), so this comes first,
    // and nothing of the value but what follows the last '@' is ever repeated.
    if (text.indexOf('@') >= 0) {
      throw new IllegalArgumentException(
          variable
              + ": credentials in the proxy URL are not supported: "
              + redactCredentials(text)
              + " (remove user and password; the proxy must accept the connection without them)");
    }
    if (separator < 0 && text.contains("://")) {
      throw new IllegalArgumentException(variable + ": the proxy " + text + " is not a URL");
    }
    if (scheme.equals("https")) {
      throw new IllegalArgumentException(
          variable
              + ": an https:// proxy (TLS to the proxy) is not supported; use http://"
              + rest
              + " if the proxy speaks plain HTTP");
    }
    if (!scheme.equals("http")) {
      throw new IllegalArgumentException(
          variable + ": only HTTP proxies are supported, not " + scheme + "://" + rest);
    }
    int end = rest.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int i = rest.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    String authority = rest.substring(0, end).toLowerCase(Locale.ROOT);
    String host;
    String port = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0 || ipLiteral(authority.substring(1, close)) == null) {
        throw new IllegalArgumentException(
            variable + ": the proxy " + text + " has a malformed IPv6 address");
      }
      host = authority.substring(0, close + 1);
      String after = authority.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new IllegalArgumentException(variable + ": the proxy " + text + " is not a URL");
        }
        port = after.substring(1);
      }
    } else {
      int colon = authority.indexOf(':');
      if (colon != authority.lastIndexOf(':')) {
        throw new IllegalArgumentException(
            variable + ": the proxy " + text + " has an IPv6 address without [brackets]");
      }
      host = colon < 0 ? authority : authority.substring(0, colon);
      port = colon < 0 ? null : authority.substring(colon + 1);
      if (host.isEmpty()) {
        throw new IllegalArgumentException(variable + ": the proxy " + text + " has no host");
      }
      if (!HOST_NAME.matcher(host).matches()) {
        throw new IllegalArgumentException(
            variable + ": the proxy " + text + " has a malformed host name");
      }
    }
    int number = 80;
    if (port != null && !port.isEmpty()) {
      if (!port.matches("\\d{1,5}")
          || Integer.parseInt(port) < 1
          || Integer.parseInt(port) > 65535) {
        throw new IllegalArgumentException(
            variable + ": the proxy " + text + " has a port that is not 1 to 65535");
      }
      number = Integer.parseInt(port);
    }
    return InetSocketAddress.createUnresolved(host, number);
  }

  /** Where a URL's scheme ends (the index of its "://"), or -1 if it has none. */
  private static int schemeEnd(String text) {
    int separator = text.indexOf("://");
    return separator > 0 && SCHEME.matcher(text.substring(0, separator)).matches() ? separator : -1;
  }

  /** The value with everything between the scheme and the last '@' replaced. */
  static String redactCredentials(String text) {
    int at = text.lastIndexOf('@');
    if (at < 0) {
      return text;
    }
    int separator = schemeEnd(text);
    int start = separator >= 0 && separator < at ? separator + 3 : 0;
    return text.substring(0, start) + "[REDACTED]" + text.substring(at);
  }

  @Override
  public String toString() {
    return "EnvironmentProxySelector[https="
        + show(httpsProxy)
        + ", http="
        + show(httpProxy)
        + ", noProxy="
        + noProxyEntries
        + "]";
  }

  private static String show(InetSocketAddress proxy) {
    return proxy == null ? "direct" : proxy.getHostString() + ":" + proxy.getPort();
  }
}
