package io.devicelogin.server.grant;

import io.devicelogin.client.wire.Scope;
import java.time.Instant;

/** What a verified access token says. */
public record AccessTokenClaims(
    String subject,
    String clientId,
    Scope scope,
    String grantId,
    String jti,
    Instant issuedAt,
    Instant expiresAt) {}
