package io.devicelogin.server.protocol;

import io.javalin.http.Context;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a request came from. The client IP is the socket's peer, unless that peer is a configured
 * trusted proxy: then {@code X-Forwarded-For} is read from the right, each hop appended by the
 * proxy to its right, and the first hop that is not itself a trusted proxy is the client. A header
 * from anyone else is ignored, so it cannot be used to forge an address.
 *
 * <p>Only address literals count: a hop that is not one ({@code unknown}, a name, garbage) ends the
 * walk at the last address a trusted proxy vouched for, so that no text a client chose ever becomes
 * "the IP" in the audit trail or a rate-limit key. Nothing here ever asks DNS. Addresses come out
 * in one canonical form (IPv6 per RFC 5952, IPv4-mapped IPv6 as IPv4), so that the same client
 * always has the same key.
 */
public final class RequestOrigin {
  private final List<AddressBlock> trustedProxies;

  /**
   * @param trustedProxies addresses or CIDR blocks ({@code 10.0.0.0/8}, {@code fd00::/8})
   * @throws IllegalArgumentException for one that is neither
   */
  public RequestOrigin(Set<String> trustedProxies) {
    List<AddressBlock> blocks = new ArrayList<>();
    for (String p : trustedProxies) {
      blocks.add(AddressBlock.parse(p));
    }
    this.trustedProxies = List.copyOf(blocks);
  }

  /** The client's address, in canonical form. */
  public String ip(Context ctx) {
    List<String> forwarded =
        trustedProxies.isEmpty()
            ? List.of()
            : Collections.list(ctx.req().getHeaders("X-Forwarded-For"));
    return resolve(ctx.req().getRemoteAddr(), forwarded);
  }

  /**
   * The client's address for a request whose socket peer is {@code peer} and whose {@code
   * X-Forwarded-For} header lines are {@code forwardedFor}, in the order received.
   */
  public String resolve(String peer, List<String> forwardedFor) {
    Optional<InetAddress> peerAddress = literal(peer);
    if (peerAddress.isEmpty()) {
      // Not an IP socket; say what it was, bounded.
      String p = peer == null ? "" : peer.trim();
      return p.length() <= 64 ? p : p.substring(0, 64);
    }
    InetAddress current = peerAddress.get();
    if (!trusted(current)) {
      return format(current);
    }
    List<String> hops = new ArrayList<>();
    for (String line : forwardedFor) {
      for (String hop : line.split(",", -1)) {
        hops.add(hop.trim());
      }
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      if (hops.get(i).isEmpty()) {
        continue;
      }
      Optional<InetAddress> hop = literal(hops.get(i));
      if (hop.isEmpty()) {
        return format(current);
      }
      current = hop.get();
      if (!trusted(current)) {
        return format(current);
      }
    }
    return format(current);
  }

  public String userAgent(Context ctx) {
    return userAgent(ctx.header("User-Agent"));
  }

  /**
   * A {@code User-Agent} as recorded: control characters dropped, at most 512 characters. The C1
   * controls (U+0080 to U+009F) go too: Jetty reads header bytes as ISO-8859-1, so a byte 0x9B
   * arrives as U+009B, a terminal's CSI, and would reach the audit log line as such.
   */
  static String userAgent(String ua) {
    if (ua == null) {
      return null;
    }
    boolean plain = ua.length() <= 512;
    for (int i = 0; i < ua.length() && plain; i++) {
      char ch = ua.charAt(i);
      plain = !Character.isISOControl(ch);
    }
    if (plain) {
      return ua;
    }
    String clean = ua.replaceAll("[\\x00-\\x1F\\x7F-\\x9F]", "");
    return clean.length() <= 512 ? clean : clean.substring(0, 512);
  }

  public Origin of(Context ctx) {
    return new Origin(ip(ctx), userAgent(ctx));
  }

  /**
   * The origin of a request whose socket peer is {@code peer}, with these {@code X-Forwarded-For}
   * lines and this {@code User-Agent}.
   */
  public Origin of(String peer, List<String> forwardedFor, String userAgent) {
    return new Origin(
        resolve(peer, trustedProxies.isEmpty() ? List.of() : forwardedFor), userAgent(userAgent));
  }

  private boolean trusted(InetAddress address) {
    for (AddressBlock block : trustedProxies) {
      if (block.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** An address literal in canonical form, or empty for anything else. */
  public static Optional<String> canonical(String text) {
    return literal(text).map(RequestOrigin::format);
  }

  private static final Pattern IPV4 =
      Pattern.compile(
          "(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})");
  private static final Pattern IPV4_WITH_PORT = Pattern.compile("([0-9.]+):[0-9]{1,5}");
  private static final Pattern BRACKETED_IPV6 = Pattern.compile("\\[([^\\]]+)\\](?::[0-9]{1,5})?");
  private static final Pattern IPV6 =
      Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*(%[A-Za-z0-9_.\\-]{1,32})?");

  /**
   * An address as a socket or a proxy writes it: an IPv4 literal, with a port or without (some
   * proxies append one), or an IPv6 literal, bare or bracketed with an optional port.
   */
  static Optional<InetAddress> literal(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String a = text.trim();
    Matcher bracketed = BRACKETED_IPV6.matcher(a);
    if (bracketed.matches()) {
      return bracketed.group(1).contains(":") ? address(bracketed.group(1)) : Optional.empty();
    }
    Matcher v4WithPort = IPV4_WITH_PORT.matcher(a);
    return address(v4WithPort.matches() ? v4WithPort.group(1) : a);
  }

  /** A bare address: IPv4 dotted decimal (no leading zeros), or IPv6 (a zone is dropped). */
  static Optional<InetAddress> address(String a) {
    Matcher v4 = IPV4.matcher(a);
    if (v4.matches()) {
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(v4.group(i + 1));
        if (octet > 255) {
          return Optional.empty();
        }
        bytes[i] = (byte) octet;
      }
      return Optional.of(byAddress(bytes));
    }
    if (!a.contains(":") || !IPV6.matcher(a).matches()) {
      return Optional.empty();
    }
    int zone = a.indexOf('%');
    try {
      // Safe from DNS: a text that starts with a hex digit or ':' and holds ':' is parsed as a
      // literal or refused by InetAddress, never looked up.
      return Optional.of(InetAddress.getByName(zone < 0 ? a : a.substring(0, zone)));
    } catch (UnknownHostException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static InetAddress byAddress(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  /**
   * IPv4 dotted decimal; IPv6 in the RFC 5952 form (lower case, longest zero run as {@code ::}).
   */
  static String format(InetAddress address) {
    if (address instanceof Inet4Address) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        s.append("::");
        i += bestLength - 1;
        continue;
      }
      if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
        s.append(':');
      }
      s.append(Integer.toHexString(groups[i]));
    }
    return s.toString();
  }

  /** An address or a CIDR block of addresses, as {@code --trusted-proxy} names them. */
  public static final class AddressBlock {
    private final byte[] network;
    private final int prefix;

    private AddressBlock(byte[] network, int prefix) {
      this.network = network;
      this.prefix = prefix;
    }

    /**
     * {@code 192.0.2.1}, {@code 10.0.0.0/8}, {@code 2001:db8::1} or {@code 2001:db8::/32}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static AddressBlock parse(String text) {
      String t = text == null ? "" : text.trim();
      int slash = t.indexOf('/');
      String address = slash < 0 ? t : t.substring(0, slash);
      // A proxy is named by its bare address: no brackets, port or zone.
      InetAddress a = address.contains("%") ? null : address(address).orElse(null);
      if (a == null) {
        throw new IllegalArgumentException("not an address: " + text);
      }
      int bits = a.getAddress().length * 8;
      int prefix = bits;
      if (slash >= 0) {
        String p = t.substring(slash + 1);
        if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > bits) {
          throw new IllegalArgumentException("not a prefix length: " + text);
        }
        prefix = Integer.parseInt(p);
      }
      return new AddressBlock(a.getAddress(), prefix);
    }

    /** Whether {@code address} is in this block. */
    public boolean contains(InetAddress address) {
      byte[] candidate = address.getAddress();
      if (candidate.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (candidate[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (candidate[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
      return format(byAddress(network)) + "/" + prefix;
    }
  }
}
