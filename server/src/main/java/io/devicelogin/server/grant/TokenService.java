package io.devicelogin.server.grant;

import io.devicelogin.client.Secret;
import io.devicelogin.client.wire.Scope;
import io.devicelogin.client.wire.TokenResponse;
import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.identity.UserService;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.policy.ClientRegistry;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.DeviceAuthorizationRecord;
import io.devicelogin.server.store.Grant;
import io.devicelogin.server.store.GrantStore;
import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.store.UserStore;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Grants and their tokens, for the endpoints, the pages and the device flow: one object that wires
 * the parts, each of which holds one concern: {@link AccessTokens} (RFC 9068), {@link
 * TokenIssuance} (a grant and its first tokens), {@link RefreshRotation} (RFC 6749 §6, RFC 9700
 * §4.14.2), {@link Revocation} (RFC 7009) and {@link Introspection} (RFC 7662); the grant queries
 * of the account and admin pages are the store's.
 */
public final class TokenService {
  private final GrantStore grants;
  private final AccessTokens accessTokens;
  private final TokenIssuance issuance;
  private final RefreshRotation rotation;
  private final Revocation revocation;
  private final Introspection introspection;

  public TokenService(
      Jdbc jdbc,
      SigningKeys keys,
      ClientRegistry clients,
      AuditLog audit,
      UserService users,
      Clock clock,
      SecureRandom random,
      String issuer) {
    this.grants = new GrantStore(jdbc);
    this.accessTokens = new AccessTokens(keys, clients, clock, issuer);
    this.issuance =
        new TokenIssuance(grants, new UserStore(jdbc), users, audit, accessTokens, clock, random);
    this.revocation = new Revocation(grants, accessTokens, audit, clock);
    this.rotation = new RefreshRotation(jdbc, grants, users, audit, issuance, revocation, clock);
    this.introspection = new Introspection(accessTokens, grants, users, clock, issuer);
  }

  /**
   * Runs {@code listener} after every revocation that took effect (not for a grant that was already
   * revoked), whoever revoked it: the person, an admin, the client, or replay detection. For
   * counters such as {@code devicelogin_grants_revoked_total}; a listener that throws is logged and
   * does not undo the revocation.
   */
  public void onGrantRevoked(Runnable listener) {
    revocation.onGrantRevoked(listener);
  }

  /**
   * Creates the grant of {@code userId}'s approval of {@code request}, for {@code scope} (the
   * request's, less what the approver may not delegate), inside the approval's transaction. The
   * grant keeps the approver's {@code signIn} and upstream subject, and the request's device name.
   * Only an active account gets one: the account is read afresh here, since the {@link
   * io.devicelogin.server.store.User} the caller holds may predate a lock or a disable.
   *
   * @return the grant id
   * @throws OAuthProblem if the account is not active (any more)
   */
  public String createGrant(
      Connection c,
      DeviceAuthorizationRecord request,
      String userId,
      ClientPolicy client,
      Origin approver,
      Scope scope,
      SignIn signIn)
      throws SQLException {
    return issuance.createGrant(c, request, userId, client, approver, scope, signIn);
  }

  /**
   * Issues the first tokens of a grant whose device code is being redeemed, inside the redemption's
   * transaction and on its connection (so that it needs no second connection from the pool while
   * other polls of the same code hold theirs, waiting for the row). The audit event is logged by
   * {@code afterCommit}.
   *
   * @throws OAuthProblem if the grant has been revoked or its account is no longer active
   */
  public TokenResponse issueForGrant(
      Connection c, String grantId, ClientPolicy client, Origin origin, List<Runnable> afterCommit)
      throws SQLException {
    return issuance.issueForGrant(c, grantId, client, origin, afterCommit);
  }

  /**
   * The refresh token grant (RFC 6749 §6) with rotation and replay detection. A narrower {@code
   * scope} narrows the new access token only: the new refresh token keeps the scope of the one it
   * replaces (§6: "the refresh token scope MUST be identical to that of the refresh token included
   * by the client in the request"), so a later refresh may ask for the rest again.
   */
  public TokenResponse refresh(
      Secret refreshToken, ClientPolicy client, Optional<Scope> requestedScope, Origin origin) {
    return rotation.refresh(refreshToken, client, requestedScope, origin);
  }

  /**
   * RFC 7009: revokes the grant of a refresh or access token presented by the client it was issued
   * to. An unknown or invalid token is not an error (§2.2).
   */
  public void revokeToken(Secret token, Optional<String> hint, ClientPolicy client, Origin origin) {
    revocation.revokeToken(token, hint, client, origin);
  }

  /**
   * Revokes a grant and every token it produced; true if it was active.
   *
   * @param by who: {@code user:…}, {@code admin:…}, {@code client:…} or {@code system}
   */
  public boolean revokeGrant(String grantId, String by, String reason, Origin origin) {
    return revocation.revokeGrant(grantId, by, reason, origin);
  }

  /** RFC 7662: what a token is, for a resource server. */
  public Map<String, Object> introspect(Secret token) {
    return introspection.introspect(token);
  }

  /** Verifies an access token's signature, issuer and expiry; the grant is not consulted. */
  public Optional<AccessTokenClaims> verifyAccessToken(Secret token) {
    return accessTokens.verify(token);
  }

  /** Whether an access token is good now: verified, and its grant and user active. */
  public Optional<AccessTokenClaims> validAccessToken(Secret token) {
    return introspection.validAccessToken(token);
  }

  public Optional<Grant> findGrant(String id) {
    return grants.find(id);
  }

  /** A person's grants, newest first. */
  public List<Grant> grantsOf(String userId) {
    return grants.ofUser(userId);
  }

  /** Every grant, newest first, optionally filtered. */
  public List<Grant> grants(String userId, String clientId, int limit) {
    return grants.list(userId, clientId, limit);
  }
}
