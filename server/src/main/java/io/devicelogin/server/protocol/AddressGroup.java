package io.devicelogin.server.protocol;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The unit every per-address limit counts by: an IPv4 address as itself, an IPv6 address as its /64
 * (written {@code 2001:db8:1:2::/64}). One IPv6 subscriber gets a whole /64 (RFC 6177) and can use
 * any address in it, so counting single IPv6 addresses would give one person billions of keys.
 * IPv4-mapped IPv6 addresses are already IPv4 in a canonical {@link Origin} ({@link
 * RequestOrigin}); anything that is not an address literal (a Unix socket) is its own group.
 */
public final class AddressGroup {
  /** The prefix length of an IPv6 group: one subscriber's subnet. */
  public static final int IPV6_PREFIX = 64;

  private AddressGroup() {}

  /** The group of a socket's address, as {@link #of(String)} gives it for its canonical text. */
  public static String ofSocket(InetAddress address) {
    return of(RequestOrigin.format(address));
  }

  /** The group of a canonical address ({@link Origin#ip()}); null for null. */
  public static String of(String ip) {
    if (ip == null || !ip.contains(":") || ip.contains("/")) {
      return ip;
    }
    Optional<InetAddress> address = RequestOrigin.address(ip);
    if (address.isEmpty() || !(address.get() instanceof Inet6Address)) {
      return address.map(RequestOrigin::format).orElse(ip);
    }
    byte[] bytes = address.get().getAddress();
    for (int i = IPV6_PREFIX / 8; i < bytes.length; i++) {
      bytes[i] = 0;
    }
    try {
      return RequestOrigin.format(InetAddress.getByAddress(bytes)) + "/" + IPV6_PREFIX;
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always an address", e);
    }
  }
}
