package io.devicelogin.server.http;

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
 * At most so many connections open at once from one address: one sender cannot hold all of Jetty's
 * connections and threads while it trickles requests in. A connection past the cap is closed as
 * soon as it opens, before a byte of it is read; the sender sees a clean close. Trusted proxies are
 * not capped: every person behind them shares their address.
 *
 * <p>Addresses are counted whole: an IPv6 sender with a /64 of its own can use many. Grouping them
 * by /64 is the rate limits' concern and would be shared with them.
 */
final class ConnectionsPerAddress implements Connection.Listener {
  private final int cap;
  private final List<AddressBlock> unlimited;
  private final Runnable onRefused;
  private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();

  /** The connections counted, each with its address, so that each is uncounted once. */
  private final Map<Connection, InetAddress> counted = new ConcurrentHashMap<>();

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
    int now = open.merge(address, 1, Integer::sum);
    if (now > cap) {
      release(address);
      onRefused.run();
      connection.getEndPoint().close();
      return;
    }
    counted.put(connection, address);
  }

  @Override
  public void onClosed(Connection connection) {
    InetAddress address = counted.remove(connection);
    if (address != null) {
      release(address);
    }
  }

  private void release(InetAddress address) {
    open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
  }

  private static InetAddress addressOf(SocketAddress remote) {
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }
}
