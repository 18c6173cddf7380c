package io.devicelogin.server.policy;

import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.store.AuditEvent;

/**
 * Audits a refusal by a limit at most once per key (an address group, a client, a session) per
 * window of the {@link RateLimiter}: the first refusal. A flood of refused requests would otherwise
 * write a row each, so that the refusal itself became the load; the metrics count every refusal.
 * The "already audited" mark is one more count in the limiter, shared by instances where the
 * limiter is.
 */
public final class RefusalAudit {
  private final RateLimiter limiter;
  private final AuditLog audit;

  public RefusalAudit(RateLimiter limiter, AuditLog audit) {
    this.limiter = limiter;
    this.audit = audit;
  }

  /** Records {@code event} if it is the first refusal of {@code key} in the current window. */
  public void record(String key, AuditEvent.Builder event) {
    if (limiter.tryAcquire("refused:" + key, 1)) {
      audit.record(event);
    }
  }
}
