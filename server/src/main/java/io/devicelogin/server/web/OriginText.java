package io.devicelogin.server.web;

/**
 * Where a request came from, as the pages show it: the address and the program that sent it, or
 * words for their absence.
 */
final class OriginText {
  private OriginText() {}

  static String address(String ip) {
    return ip == null || ip.isEmpty() ? "an unknown address" : ip;
  }

  /** A user agent for display: long ones shortened (they are shown whole in the audit trail). */
  static String userAgent(String userAgent) {
    if (userAgent == null || userAgent.isBlank()) {
      return "an unnamed program";
    }
    return userAgent.length() <= 160 ? userAgent : userAgent.substring(0, 157) + "…";
  }
}
