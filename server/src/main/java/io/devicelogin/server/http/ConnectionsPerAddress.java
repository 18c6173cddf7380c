package io.devicelogin.server.http;

import io.devicelogin.server.protocol.AddressGroup;
import io.devicelogin.server.protocol.RequestOrigin.AddressBlock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;

/**
 * At most so many connections open at once from one address group ({@link AddressGroup}: an IPv4
 * address, an IPv6 /64, as every per-address limit counts): one sender cannot hold all of Jetty's
 * connections and threads while it trickles requests in. A connection past the cap is closed as
 * soon as it opens, before a byte of it is read; the sender sees a clean close. Trusted proxies are
 * not capped: every person behind them shares their address.
 */
final class ConnectionsPerAddress implements Connection.Listener {
  private final int cap;
  private final List<AddressBlock> unlimited;
  private final Runnable onRefused;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();

  /** The connections counted, each with its address, so that each is uncounted once. */
  private final Map<Connection, String> counted = new ConcurrentHashMap<>();

  /**
   * @param trustedProxies the blocks of {@code --trusted-proxy}, whose connections are not capped
   * @param onRefused runs once per connection refused (for the metrics)
   */
  ConnectionsPerAddress(int cap, Set<String> trustedProxies, Runnable onRefused) {
    this.cap = cap;
    this.unlimited = trustedProxies.stream().map(AddressBlock::parse).toList();
    this.onRefused = onRefused;
  }

  @Override
  public void onOpened(Connection connection) {
    InetAddress address = addressOf(connection.getEndPoint().getRemoteSocketAddress());
    if (address == null || unlimited.stream().anyMatch(b -> b.contains(address))) {
      return;
    }
    String group = AddressGroup.ofSocket(address);
    int now = open.merge(group, 1, Integer::sum);
    if (now > cap) {
      release(group);
      onRefused.run();
      connection.getEndPoint().close();
      return;
    }
    counted.put(connection, group);
  }

  @Override
  public void onClosed(Connection connection) {
    String group = counted.remove(connection);
    if (group != null) {
      release(group);
    }
  }

  private void release(String group) {
    open.computeIfPresent(group, (g, n) -> n <= 1 ? null : n - 1);
  }

  private static InetAddress addressOf(SocketAddress remote) {
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }
}
