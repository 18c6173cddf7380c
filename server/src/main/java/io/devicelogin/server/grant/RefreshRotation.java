package io.devicelogin.server.grant;

import io.devicelogin.client.Secret;
import io.devicelogin.client.wire.Scope;
import io.devicelogin.client.wire.TokenResponse;
import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.identity.UserService;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.Grant;
import io.devicelogin.server.store.GrantStore;
import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.store.RefreshToken;
import io.devicelogin.server.store.User;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The refresh token grant (RFC 6749 §6) with rotation: every use of a refresh token replaces it,
 * and a replaced one presented again revokes the whole grant (RFC 9700 §4.14.2), since either the
 * client or a thief holds a copy.
 */
record RefreshRotation(
    Jdbc jdbc,
    GrantStore grants,
    UserService users,
    AuditLog audit,
    TokenIssuance issuance,
    Revocation revocation,
    Clock clock) {

  /** See {@link TokenService#refresh}. */
  TokenResponse refresh(
      Secret refreshToken, ClientPolicy client, Optional<Scope> requestedScope, Origin origin) {
    client.requireRefreshTokens();
    String hash = Hashing.sha256(refreshToken);
    RefreshToken row =
        grants
            .findRefreshToken(hash)
            .orElseThrow(() -> OAuthProblem.invalidGrant("unknown refresh token"));
    Grant grant =
        grants
            .find(row.grantId())
            .orElseThrow(() -> OAuthProblem.invalidGrant("unknown refresh token"));
    if (!grant.clientId().equals(client.clientId())) {
      throw OAuthProblem.invalidGrant("the refresh token was issued to another client");
    }
    if (row.status() != RefreshToken.Status.ACTIVE) {
      if (row.status() == RefreshToken.Status.ROTATED) {
        replayDetected(grant, "a rotated refresh token was presented again", origin);
      }
      throw OAuthProblem.invalidGrant("the refresh token is no longer valid");
    }
    Instant now = clock.instant();
    if (!grant.active()) {
      throw OAuthProblem.invalidGrant("the grant has been revoked");
    }
    if (!now.isBefore(row.idleExpiresAt()) || !now.isBefore(grant.expiresAt())) {
      throw OAuthProblem.invalidGrant("the refresh token has expired");
    }
    if (users.find(grant.userId()).filter(User::isActive).isEmpty()) {
      throw OAuthProblem.invalidGrant("the account is disabled");
    }
    Scope current = row.scope();
    Scope scope = requestedScope.orElse(current);
    if (!scope.isSubsetOf(current)) {
      throw OAuthProblem.invalidScope("a refresh cannot widen the scope");
    }
    // Rotation, the new tokens and the audit row commit together: a failure leaves the presented
    // token usable instead of rotating it away without a successor.
    List<Runnable> afterCommit = new ArrayList<>();
    TokenResponse response =
        jdbc.transaction(
            c -> {
              if (!grants.rotate(c, hash)) {
                return null;
              }
              if (!grants.use(c, grant.id(), now)) {
                throw OAuthProblem.invalidGrant("the grant has been revoked");
              }
              TokenResponse r = issuance.mint(c, grant, client, scope, current);
              afterCommit.add(
                  audit.record(
                      c,
                      AuditEvent.byClient(AuditEvent.Type.REFRESHED, client.clientId())
                          .user(grant.userId())
                          .scope(scope)
                          .grant(grant.id())
                          .origin(origin)));
              return r;
            });
    if (response == null) {
      // Another request rotated it between our read and our update: the same token used twice.
      replayDetected(grant, "the refresh token was presented twice at once", origin);
      throw OAuthProblem.invalidGrant("the refresh token is no longer valid");
    }
    afterCommit.forEach(Runnable::run);
    return response;
  }

  private void replayDetected(Grant grant, String what, Origin origin) {
    if (!grant.active()) {
      // Already revoked: the first replay was recorded and ended it. Recording every later one
      // would let anyone holding a dead token make the server write to the database at will.
      return;
    }
    audit.record(
        AuditEvent.byClient(AuditEvent.Type.REPLAY_DETECTED, grant.clientId())
            .user(grant.userId())
            .grant(grant.id())
            .origin(origin)
            .detail(what));
    revocation.revokeGrant(grant.id(), "system", "replay detected: " + what, origin);
  }
}
