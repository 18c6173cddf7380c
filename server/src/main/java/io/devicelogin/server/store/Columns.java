package io.devicelogin.server.store;

/** How values are kept in columns that several tables share the shape of. */
final class Columns {
  /** The width of every {@code *_user_agent} column. */
  static final int USER_AGENT = 512;

  private Columns() {}

  /** A user agent cut to what its column holds: some send kilobytes. */
  static String userAgent(String userAgent) {
    return userAgent == null || userAgent.length() <= USER_AGENT
        ? userAgent
        : userAgent.substring(0, USER_AGENT);
  }
}
