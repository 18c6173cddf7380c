package io.devicelogin.server.policy;

import io.devicelogin.server.config.Defaults;

/**
 * The limits on device authorization requests, from the configuration file's {@code rate_limits}
 * (absent members take {@link Defaults}). Instances on one PostgreSQL count their requests
 * together; see {@link RateLimiter}.
 *
 * @param deviceAuthorizationsPerIpPerMinute requests allowed from one address per minute
 * @param deviceAuthorizationsPerClientPerMinute requests allowed for one client per minute, from
 *     all addresses together
 */
public record RateLimits(
    int deviceAuthorizationsPerIpPerMinute, int deviceAuthorizationsPerClientPerMinute) {
  public static final RateLimits DEFAULTS =
      new RateLimits(
          Defaults.DEVICE_REQUESTS_PER_IP_PER_MINUTE,
          Defaults.DEVICE_REQUESTS_PER_CLIENT_PER_MINUTE);

  public RateLimits {
    if (deviceAuthorizationsPerIpPerMinute < 1 || deviceAuthorizationsPerClientPerMinute < 1) {
      throw new IllegalArgumentException("rate limits must be at least 1");
    }
  }
}
