package io.devicelogin.server.grant;

import java.time.Instant;
import java.util.Set;

/** What a verified access token says. */
public record AccessTokenClaims(
    String subject,
    String clientId,
    Set<String> scope,
    String grantId,
    String jti,
    Instant issuedAt,
    Instant expiresAt) {}
