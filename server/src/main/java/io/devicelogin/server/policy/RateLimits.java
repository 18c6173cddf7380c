package io.devicelogin.server.policy;

import io.devicelogin.server.config.Defaults;

/**
 * The limits on device authorization requests, from the configuration file's {@code rate_limits}
 * (absent members take {@link Defaults}); how they combine is {@link DeviceAuthorizationLimits}'s.
 * Instances on one PostgreSQL count their requests together; see {@link RateLimiter}.
 *
 * @param deviceAuthorizationsPerIpPerMinute requests allowed from one address group per minute
 * @param deviceAuthorizationsPerClientPerMinute requests allowed for one client per minute, from
 *     all addresses together
 * @param deviceAuthorizationsFairSharePerIp requests per minute an address group may make and still
 *     use the part of the client's budget kept for groups within their fair share
 */
public record RateLimits(
    int deviceAuthorizationsPerIpPerMinute,
    int deviceAuthorizationsPerClientPerMinute,
    int deviceAuthorizationsFairSharePerIp) {
  public static final RateLimits DEFAULTS =
      new RateLimits(
          Defaults.DEVICE_REQUESTS_PER_IP_PER_MINUTE,
          Defaults.DEVICE_REQUESTS_PER_CLIENT_PER_MINUTE,
          Defaults.DEVICE_REQUESTS_FAIR_SHARE_PER_IP);

  public RateLimits {
    if (deviceAuthorizationsPerIpPerMinute < 1
        || deviceAuthorizationsPerClientPerMinute < 1
        || deviceAuthorizationsFairSharePerIp < 1) {
      throw new IllegalArgumentException("rate limits must be at least 1");
    }
  }

  /** The per-address and per-client limits with the default fair share. */
  public RateLimits(
      int deviceAuthorizationsPerIpPerMinute, int deviceAuthorizationsPerClientPerMinute) {
    this(
        deviceAuthorizationsPerIpPerMinute,
        deviceAuthorizationsPerClientPerMinute,
        Defaults.DEVICE_REQUESTS_FAIR_SHARE_PER_IP);
  }

  /**
   * The part of a client's budget per minute kept for address groups within their fair share
   * ({@link Defaults#DEVICE_REQUESTS_RESERVED_FRACTION}, rounded down).
   */
  public int reservedPerClientPerMinute() {
    return (int)
        Math.floor(
            deviceAuthorizationsPerClientPerMinute * Defaults.DEVICE_REQUESTS_RESERVED_FRACTION);
  }
}
