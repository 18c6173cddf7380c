package io.devicelogin.client.provider;

import io.devicelogin.client.http.SecureUris;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Building a profile's endpoints from a base URI and a fixed path. A base is checked once, here,
 * because every token, code and client secret of a login is sent to what is built from it.
 */
final class EndpointUris {
  /**
   * One DNS label or a dotted name of them: a tenant GUID ({@code 8-4-4-4-12} hex digits and dashes
   * is a label), an alias such as {@code common}, or a domain such as {@code
   * contoso.onmicrosoft.com}. Nothing that could leave the path segment: no {@code /}, {@code ?},
   * {@code #}, {@code %}, no {@code .} or {@code ..} segment.
   */
  private static final Pattern PATH_SAFE_NAME =
      Pattern.compile(
          "[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*");

  private EndpointUris() {}

  /**
   * Checks a base URI: absolute, {@code https} (or {@code http} to a loopback address, for a local
   * test server), with a host, and without user info, query or fragment, which would be silently
   * carried into, or dropped from, every endpoint.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static URI checkBase(URI base, String what) {
    Objects.requireNonNull(base, what);
    if (!base.isAbsolute() || base.isOpaque() || base.getHost() == null) {
      throw new IllegalArgumentException(what + " must be an absolute URI with a host: " + base);
    }
    if (!SecureUris.acceptable(base)) {
      throw new IllegalArgumentException(SecureUris.refusal(base, what));
    }
    if (base.getRawUserInfo() != null
        || base.getRawQuery() != null
        || base.getRawFragment() != null) {
      throw new IllegalArgumentException(
          what + " must not carry user info, a query or a fragment: " + base);
    }
    return base;
  }

  /** {@code base} with {@code path} (which starts with {@code /}) appended to its own path. */
  static URI append(URI base, String path) {
    String basePath = base.getRawPath() == null ? "" : base.getRawPath();
    while (basePath.endsWith("/")) {
      basePath = basePath.substring(0, basePath.length() - 1);
    }
    try {
      // Raw parts, joined as text: the URI constructors that take parts would quote a base's
      // existing escapes a second time.
      return new URI(base.getScheme() + "://" + base.getRawAuthority() + basePath + path);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot append " + path + " to " + base, e);
    }
  }

  /**
   * Checks that {@code name} can stand as one path segment unescaped.
   *
   * @throws IllegalArgumentException if it cannot
   */
  static String checkPathSegment(String name, String what) {
    Objects.requireNonNull(name, what);
    if (name.length() > 253 || !PATH_SAFE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what + " must be a GUID, a domain name or an alias such as `common`: '" + name + "'");
    }
    return name;
  }
}
