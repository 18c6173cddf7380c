package io.devicelogin.server.web;

import io.devicelogin.server.grant.TokenService.Origin;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;

/**
 * Where a request came from. The client IP is the socket's peer, unless that peer is a configured
 * trusted proxy: then the right-most address of {@code X-Forwarded-For} that is not itself a trusted
 * proxy. A header from anyone else is ignored, so it cannot be used to forge an address.
 */
public final class RequestOrigin {
  private final Set<String> trustedProxies;

  public RequestOrigin(Set<String> trustedProxies) {
    this.trustedProxies = Set.copyOf(trustedProxies);
  }

  public String ip(Context ctx) {
    String peer = normalise(ctx.req().getRemoteAddr());
    if (!trustedProxies.contains(peer)) {
      return peer;
    }
    String forwarded = ctx.header("X-Forwarded-For");
    if (forwarded == null || forwarded.isBlank()) {
      return peer;
    }
    List<String> hops = List.of(forwarded.split(","));
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = normalise(hops.get(i).trim());
      if (hop.isEmpty()) {
        continue;
      }
      if (!trustedProxies.contains(hop)) {
        return hop;
      }
    }
    return peer;
  }

  public String userAgent(Context ctx) {
    String ua = ctx.header("User-Agent");
    if (ua == null) {
      return null;
    }
    String clean = ua.replaceAll("[\\p{Cntrl}]", "");
    return clean.length() <= 512 ? clean : clean.substring(0, 512);
  }

  public Origin of(Context ctx) {
    return new Origin(ip(ctx), userAgent(ctx));
  }

  /** A literal IP address in its canonical form; anything else (a name, garbage) as is, trimmed. */
  static String normalise(String address) {
    if (address == null) {
      return "";
    }
    String a = address.trim();
    if (a.startsWith("[") && a.endsWith("]")) {
      a = a.substring(1, a.length() - 1);
    }
    if (a.matches("[0-9.]+") || a.contains(":")) {
      try {
        return InetAddress.getByName(a).getHostAddress();
      } catch (UnknownHostException | SecurityException e) {
        return a;
      }
    }
    return a.length() <= 64 ? a : a.substring(0, 64);
  }
}
