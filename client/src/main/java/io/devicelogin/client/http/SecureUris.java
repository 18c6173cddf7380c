package io.devicelogin.client.http;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Which URIs may carry a login: {@code https}, or plain {@code http} to a loopback address (a
 * server on the same machine, as in a demo or a test). Device codes, tokens and client secrets sent
 * over plain HTTP across a network can be read and replayed by anyone on the path (RFC 6749 §1.6,
 * RFC 8414 §2: an issuer is an {@code https} URL).
 */
public final class SecureUris {
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  private SecureUris() {}

  /** True if {@code uri} is {@code https}, or {@code http} to a loopback host. */
  public static boolean acceptable(URI uri) {
    if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
      return false;
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("https")
        || scheme.equals("http") && LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT));
  }

  /** The reason {@code uri} is refused, naming {@code what} it is; for messages. */
  public static String refusal(URI uri, String what) {
    return what + " must use https (plain http is allowed only to a loopback address): " + uri;
  }
}
