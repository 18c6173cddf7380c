package io.devicelogin.server.device;

import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.grant.TokenService;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.DeviceAuthorizationRecord;
import io.devicelogin.server.store.DeviceAuthorizationStore;
import java.time.Instant;

/**
 * The end of a device authorization that ran out of time before it was redeemed: its user code is
 * freed, the expiry audited, and the grant of an approval never redeemed revoked. The sweeper finds
 * them; a poll that finds one first ends it the same way.
 */
final class Expiry {
  private final DeviceAuthorizationStore store;
  private final TokenService tokens;
  private final AuditLog audit;

  Expiry(DeviceAuthorizationStore store, TokenService tokens, AuditLog audit) {
    this.store = store;
    this.tokens = tokens;
    this.audit = audit;
  }

  /** Ends every authorization whose time is up at {@code now}; returns how many. */
  int sweep(Instant now) {
    int n = 0;
    for (DeviceAuthorizationRecord record : store.findExpiring(now)) {
      if (expire(record)) {
        n++;
      }
    }
    return n;
  }

  /** Ends one, unless it has been redeemed or ended already; true if this call ended it. */
  boolean expire(DeviceAuthorizationRecord record) {
    boolean expired = store.expire(record.id());
    if (expired) {
      audit.record(
          AuditEvent.by(AuditEvent.Type.EXPIRED, "system")
              .client(record.clientId())
              .user(record.userId())
              .scope(record.scope())
              .deviceAuthorization(record.id())
              .grant(record.grantId()));
      if (record.grantId() != null) {
        tokens.revokeGrant(
            record.grantId(),
            "system",
            "approved but never redeemed before expiry",
            new Origin(null, null));
      }
    }
    return expired;
  }
}
