package io.devicelogin.server.web;

import java.net.URI;
import java.net.URISyntaxException;

/** Where to go after sign-in: only a path on this server, never another site (no open redirect). */
final class LocalPath {
  private LocalPath() {}

  /** {@code next} if it is a local path, otherwise {@code fallback}. */
  static String orElse(String next, String fallback) {
    if (next == null
        || next.isEmpty()
        || next.length() > 512
        || !next.startsWith("/")
        || next.startsWith("//")
        || next.indexOf('\\') >= 0) {
      return fallback;
    }
    for (int i = 0; i < next.length(); i++) {
      char c = next.charAt(i);
      if (c < 0x21 || c == 0x7f) {
        return fallback;
      }
    }
    try {
      URI uri = new URI(next);
      if (uri.getScheme() != null
          || uri.getRawAuthority() != null
          || uri.getRawPath() == null
          || !uri.getRawPath().startsWith("/")) {
        return fallback;
      }
    } catch (URISyntaxException e) {
      return fallback;
    }
    return next;
  }
}
