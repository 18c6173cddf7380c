package io.devicelogin.server.http;

import io.devicelogin.server.config.Defaults;
import java.time.Duration;

/**
 * How much of the server one sender may hold while it sends: the whole-request deadline and the
 * minimum body rate ({@link RequestDeadline}), and the connections one address may have open at
 * once ({@link ConnectionsPerAddress}).
 *
 * @param requestDeadline a request's headers and body are all in within this, from its first byte
 * @param minBodyBytesPerSecond while a body is read, it arrives at least this fast on average; 0
 *     for no minimum
 * @param perAddress connections open at once from one address (not a trusted proxy's); 0 for no cap
 */
public record ConnectionLimits(
    Duration requestDeadline, long minBodyBytesPerSecond, int perAddress) {

  public ConnectionLimits {
    if (requestDeadline.isNegative() || requestDeadline.isZero()) {
      throw new IllegalArgumentException("the request deadline must be positive");
    }
    if (minBodyBytesPerSecond < 0 || perAddress < 0) {
      throw new IllegalArgumentException("limits are not negative");
    }
  }

  public static ConnectionLimits ofDefaults() {
    return new ConnectionLimits(
        Defaults.REQUEST_DEADLINE,
        Defaults.MIN_BODY_BYTES_PER_SECOND,
        Defaults.CONNECTIONS_PER_ADDRESS);
  }
}
