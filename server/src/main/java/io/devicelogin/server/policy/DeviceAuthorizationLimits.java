package io.devicelogin.server.policy;

import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.metrics.Metrics;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.AuditEvent;
import java.time.Duration;

/**
 * The limits on device authorization requests (RFC 8628 §5.2 leaves them to the server), counted
 * per minute by a {@link RateLimiter}, with the figures of {@link RateLimits}. The rule, so that a
 * flood from some addresses cannot keep everyone else from signing in with the same client:
 *
 * <ol>
 *   <li>Per address group first ({@link io.devicelogin.server.protocol.AddressGroup}: an IPv4
 *       address, an IPv6 /64): at most {@code per_ip} requests a minute, whatever the client.
 *   <li>Then the client's budget, {@code per_client} a minute, in two parts. The open part, all but
 *       a reserve of a quarter ({@link RateLimits#reservedPerClientPerMinute}), takes any request
 *       in turn. The reserve takes only requests of groups within their fair share: a group that
 *       has asked at most {@code fair_share} times this minute. A request uses the open part while
 *       it lasts, then the reserve if it may.
 * </ol>
 *
 * So a few groups flooding a client (20 addresses × 30 requests) use at most the open part, and
 * people asking once or twice each still get the reserve: to take that too, an attacker needs
 * reserve ÷ fair share groups (50 with the defaults) each asking no more than its share, and IPv6
 * subscribers count as one group per /64. Nothing can give more than {@code per_client} a minute in
 * all: that bound protects the server, and the reserve only decides who gets the last of it.
 *
 * <p>A refused request is told when the window ends, counted in the metrics by client and limit
 * ({@link Metrics#clientRateLimited}), and audited once per key and window ({@link RefusalAudit}).
 */
public final class DeviceAuthorizationLimits {
  static final String PER_ADDRESS = "per IP address";
  static final String PER_CLIENT = "per client";

  private final RateLimiter limiter;
  private final RateLimits limits;
  private final RefusalAudit refusals;
  private final Metrics metrics;

  public DeviceAuthorizationLimits(
      RateLimiter limiter, RateLimits limits, AuditLog audit, Metrics metrics) {
    this.limiter = limiter;
    this.limits = limits;
    this.refusals = new RefusalAudit(limiter, audit);
    this.metrics = metrics;
  }

  /**
   * Counts a request of {@code client} from {@code origin}, by its address group first.
   *
   * @throws OAuthProblem {@code too_many_requests}, with when to try again, over either limit
   */
  public void admit(ClientPolicy client, Origin origin) {
    String group = origin.addressGroup();
    String addressKey = "device-ip:" + group;
    int place = limiter.acquire(addressKey, limits.deviceAuthorizationsPerIpPerMinute());
    if (place == 0) {
      throw refuse(client, origin, addressKey, PER_ADDRESS);
    }
    int reserve = limits.reservedPerClientPerMinute();
    String clientKey = "device-client:" + client.clientId();
    if (limiter.tryAcquire(clientKey, limits.deviceAuthorizationsPerClientPerMinute() - reserve)) {
      return;
    }
    if (place <= limits.deviceAuthorizationsFairSharePerIp()
        && reserve > 0
        && limiter.tryAcquire("device-client-reserve:" + client.clientId(), reserve)) {
      return;
    }
    throw refuse(client, origin, clientKey, PER_CLIENT);
  }

  private OAuthProblem refuse(ClientPolicy client, Origin origin, String key, String which) {
    String limit = "device_authorization " + which;
    metrics.rateLimited(limit);
    metrics.clientRateLimited(client.clientId(), limit);
    refusals.record(
        key,
        AuditEvent.byClient(AuditEvent.Type.RATE_LIMITED, client.clientId())
            .origin(origin)
            .detail(
                "device authorization requests "
                    + which
                    + (which.equals(PER_ADDRESS) ? " " + origin.addressGroup() : "")
                    + "; further refusals of this key in this minute are counted in the metrics"
                    + " only"));
    return OAuthProblem.tooManyRequests(
        "too many device authorization requests " + which,
        Duration.ofSeconds(limiter.secondsToNextWindow()));
  }
}
