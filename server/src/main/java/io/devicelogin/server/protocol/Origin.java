package io.devicelogin.server.protocol;

/** Where a request came from (the client's address and user agent), for the audit trail. */
public record Origin(String ip, String userAgent) {
  /** The group every per-address limit counts this origin in ({@link AddressGroup}). */
  public String addressGroup() {
    return AddressGroup.of(ip);
  }
}
