package io.devicelogin.server.policy;

import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.metrics.Metrics;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.AuditEvent;
import java.time.Duration;

/**
 * The limits on device authorization requests (RFC 8628 §5.2 leaves them to the server), per IP
 * address and per client ({@link RateLimits}), counted by a {@link RateLimiter}. A request over
 * either is refused until its window ends, counted in the metrics and audited.
 */
public final class DeviceAuthorizationLimits {
  private final RateLimiter limiter;
  private final RateLimits limits;
  private final AuditLog audit;
  private final Metrics metrics;

  public DeviceAuthorizationLimits(
      RateLimiter limiter, RateLimits limits, AuditLog audit, Metrics metrics) {
    this.limiter = limiter;
    this.limits = limits;
    this.audit = audit;
    this.metrics = metrics;
  }

  /**
   * Counts a request of {@code client} from {@code origin}, by its address first.
   *
   * @throws OAuthProblem {@code too_many_requests}, with when to try again, over either limit
   */
  public void admit(ClientPolicy client, Origin origin) {
    if (!limiter.tryAcquire(
        "device-ip:" + origin.ip(), limits.deviceAuthorizationsPerIpPerMinute())) {
      throw refuse(client, origin, "per IP address");
    }
    if (!limiter.tryAcquire(
        "device-client:" + client.clientId(), limits.deviceAuthorizationsPerClientPerMinute())) {
      throw refuse(client, origin, "per client");
    }
  }

  private OAuthProblem refuse(ClientPolicy client, Origin origin, String which) {
    metrics.rateLimited("device_authorization " + which);
    audit.record(
        AuditEvent.byClient(AuditEvent.Type.RATE_LIMITED, client.clientId())
            .origin(origin)
            .detail("device authorization requests " + which));
    return OAuthProblem.tooManyRequests(
        "too many device authorization requests " + which,
        Duration.ofSeconds(limiter.secondsToNextWindow()));
  }
}
