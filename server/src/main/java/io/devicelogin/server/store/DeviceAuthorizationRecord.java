package io.devicelogin.server.store;

import io.devicelogin.client.wire.Scope;
import java.time.Duration;
import java.time.Instant;

/**
 * A device authorization as stored: never the device code itself, only its hash.
 *
 * @param deviceName the host and OS the client named ({@code device_name}), cleaned; null if none
 */
public record DeviceAuthorizationRecord(
    String id,
    String deviceCodeHash,
    String userCode,
    String clientId,
    Scope scope,
    Status status,
    Duration interval,
    Instant createdAt,
    Instant expiresAt,
    String requestIp,
    String requestUserAgent,
    String userId,
    Instant decidedAt,
    String decisionIp,
    String decisionUserAgent,
    String grantId,
    String deviceName) {

  /** An authorization whose client named no device. */
  public DeviceAuthorizationRecord(
      String id,
      String deviceCodeHash,
      String userCode,
      String clientId,
      Scope scope,
      Status status,
      Duration interval,
      Instant createdAt,
      Instant expiresAt,
      String requestIp,
      String requestUserAgent,
      String userId,
      Instant decidedAt,
      String decisionIp,
      String decisionUserAgent,
      String grantId) {
    this(
        id,
        deviceCodeHash,
        userCode,
        clientId,
        scope,
        status,
        interval,
        createdAt,
        expiresAt,
        requestIp,
        requestUserAgent,
        userId,
        decidedAt,
        decisionIp,
        decisionUserAgent,
        grantId,
        null);
  }

  /** The life of a device authorization. */
  public enum Status {
    /** Waiting for the person. */
    PENDING,
    /** Approved; the next poll receives tokens. */
    APPROVED,
    /** Denied by the person. */
    DENIED,
    /** Tokens were issued; any further poll is a replay. */
    REDEEMED,
    /** Expired before it was redeemed. */
    EXPIRED
  }

  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
