package io.devicelogin.server.store;

import io.devicelogin.client.wire.Scope;
import java.time.Instant;
import java.util.List;

/**
 * A person's approval of a client's access, the parent of every token it produced. The sign-in
 * behind the approval is kept with it, so that every token of the grant, refreshed ones too, names
 * the same person, upstream and way of signing in.
 *
 * @param deviceName the host and OS the CLI named in its request; null if it named none
 * @param idp the upstream the approver signed in through; null for a local password
 * @param idpSubject the approver's subject at that upstream; null for a local account
 * @param authTime when the approver last authenticated in the approving session; null if unknown
 * @param amr how the approver signed in (RFC 8176); empty if unknown
 */
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
    String revokeReason,
    String deviceName,
    String idp,
    String idpSubject,
    Instant authTime,
    List<String> amr) {

  public Grant {
    amr = amr == null ? List.of() : List.copyOf(amr);
  }

  /** A grant with no record of the device or of the sign-in behind it. */
  public Grant(
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
      String revokeReason) {
    this(
        id,
        userId,
        clientId,
        scope,
        active,
        deviceAuthorizationId,
        requestedAt,
        requestIp,
        requestUserAgent,
        approvedAt,
        approveIp,
        approveUserAgent,
        expiresAt,
        lastUsedAt,
        revokedAt,
        revokedBy,
        revokeReason,
        null,
        null,
        null,
        null,
        List.of());
  }
}
