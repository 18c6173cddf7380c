package io.devicelogin.server.store;

import io.devicelogin.client.wire.Scope;
import java.util.Set;

/** How values are kept in columns that several tables share the shape of. */
final class Columns {
  /** The width of every {@code *_user_agent} column. */
  static final int USER_AGENT = 512;

  private Columns() {}

  /** A scope as a column holds it: its tokens separated by single spaces. */
  static String scope(Set<String> scope) {
    return Scope.of(scope).format();
  }

  /** A scope column's tokens, in their order. */
  static Set<String> scope(String column) {
    return Scope.parse(column).asSet();
  }

  /** A user agent cut to what its column holds: some send kilobytes. */
  static String userAgent(String userAgent) {
    return userAgent == null || userAgent.length() <= USER_AGENT
        ? userAgent
        : userAgent.substring(0, USER_AGENT);
  }
}
