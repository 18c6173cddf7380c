package io.devicelogin.server.store;

import io.devicelogin.client.wire.Scope;
import java.time.Instant;

/** A person's approval of a client's access, the parent of every token it produced. */
public record Grant(
    String id,
    String userId,
    String clientId,
    Scope scope,
    boolean active,
    String deviceAuthorizationId,
    Instant requestedAt,
    String requestIp,
    String requestUserAgent,
    Instant approvedAt,
    String approveIp,
    String approveUserAgent,
    Instant expiresAt,
    Instant lastUsedAt,
    Instant revokedAt,
    String revokedBy,
    String revokeReason) {}
