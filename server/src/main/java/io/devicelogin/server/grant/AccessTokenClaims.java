package io.devicelogin.server.grant;

import io.devicelogin.client.wire.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a verified access token says.
 *
 * @param idp the upstream the approver signed in through; empty for a local password
 * @param authTime when the approver authenticated before approving (OIDC Core §2, RFC 9068 §2.2.1)
 * @param amr how the approver signed in (RFC 8176); empty if unknown
 */
public record AccessTokenClaims(
    String subject,
    String clientId,
    Scope scope,
    String grantId,
    String jti,
    Instant issuedAt,
    Instant expiresAt,
    Optional<String> idp,
    Optional<Instant> authTime,
    List<String> amr) {

  public AccessTokenClaims {
    amr = List.copyOf(amr);
  }
}
