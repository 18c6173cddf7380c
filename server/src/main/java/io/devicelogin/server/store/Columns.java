package io.devicelogin.server.store;

import java.util.LinkedHashSet;
import java.util.Set;

/** How values are kept in columns that several tables share the shape of. */
final class Columns {
  /** The width of every {@code *_user_agent} column. */
  static final int USER_AGENT = 512;

  private Columns() {}

  /** A scope as a column holds it: its tokens separated by single spaces. */
  static String scope(Set<String> scope) {
    return String.join(" ", scope);
  }

  /** A scope column's tokens, in their order. */
  static Set<String> scope(String column) {
    Set<String> result = new LinkedHashSet<>();
    for (String s : column.split(" ")) {
      if (!s.isEmpty()) {
        result.add(s);
      }
    }
    return result;
  }

  /** A user agent cut to what its column holds: some send kilobytes. */
  static String userAgent(String userAgent) {
    return userAgent == null || userAgent.length() <= USER_AGENT
        ? userAgent
        : userAgent.substring(0, USER_AGENT);
  }
}
