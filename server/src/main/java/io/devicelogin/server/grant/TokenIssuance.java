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
import io.devicelogin.server.store.DeviceAuthorizationRecord;
import io.devicelogin.server.store.Grant;
import io.devicelogin.server.store.GrantStore;
import io.devicelogin.server.store.User;
import io.devicelogin.server.store.UserStore;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A grant and its first tokens (RFC 6749 §5.1): the grant made when a person approves, the tokens
 * of the poll that redeems its device code (RFC 8628 §3.5), and the minting that redemption and
 * {@link RefreshRotation} share. Each runs inside the caller's transaction, on its connection.
 */
record TokenIssuance(
    GrantStore grants,
    UserStore userRows,
    UserService users,
    AuditLog audit,
    AccessTokens accessTokens,
    Clock clock,
    SecureRandom random) {

  /** See {@link TokenService#createGrant}. */
  String createGrant(
      Connection c,
      DeviceAuthorizationRecord request,
      String userId,
      ClientPolicy client,
      Origin approver,
      Scope scope,
      SignIn signIn)
      throws SQLException {
    User user = users.find(userId).filter(User::isActive).orElse(null);
    if (user == null) {
      throw OAuthProblem.accountCannotApprove();
    }
    String id = UUID.randomUUID().toString();
    Instant now = clock.instant();
    grants.insert(
        c,
        new Grant(
            id,
            userId,
            client.clientId(),
            scope,
            true,
            request.id(),
            request.createdAt(),
            request.requestIp(),
            request.requestUserAgent(),
            now,
            approver.ip(),
            approver.userAgent(),
            now.plus(client.refreshMaxLifetime()),
            null,
            null,
            null,
            null,
            request.deviceName(),
            signIn.idp().orElse(null),
            user.link().map(User.Link::subject).orElse(null),
            signIn.authenticatedAt().orElse(null),
            signIn.amr()));
    return id;
  }

  /** See {@link TokenService#issueForGrant}. */
  TokenResponse issueForGrant(
      Connection c, String grantId, ClientPolicy client, Origin origin, List<Runnable> afterCommit)
      throws SQLException {
    // Locks the grant's row: a revocation running now waits for this transaction, and then revokes
    // the refresh token issued here too.
    if (!grants.use(c, grantId, clock.instant())) {
      throw OAuthProblem.invalidGrant("the grant has been revoked");
    }
    Grant grant = grants.find(c, grantId).orElseThrow();
    // The account may have been disabled or locked since it approved: no tokens for it then. The
    // redemption rolls back with this, so the approval stands if the account is enabled again in
    // time.
    if (userRows.status(c, grant.userId()).filter(User.Status.ACTIVE::equals).isEmpty()) {
      throw OAuthProblem.accountNotActive();
    }
    TokenResponse response = mint(c, grant, client, grant.scope(), grant.scope());
    afterCommit.add(
        audit.record(
            c,
            AuditEvent.byClient(AuditEvent.Type.TOKENS_ISSUED, client.clientId())
                .user(grant.userId())
                .scope(grant.scope())
                .grant(grantId)
                .deviceAuthorization(grant.deviceAuthorizationId())
                .origin(origin)));
    return response;
  }

  /**
   * Signs an access token for {@code accessScope} and, if the client's grant of {@code
   * refreshScope} stays signed in ({@link ClientPolicy#staysSignedIn}), stores a new refresh token
   * for that scope, on the caller's connection.
   */
  TokenResponse mint(
      Connection c, Grant grant, ClientPolicy client, Scope accessScope, Scope refreshScope)
      throws SQLException {
    Instant now = clock.instant();
    Duration lifetime = client.accessTokenLifetime();
    Secret access = accessTokens.sign(grant, client.clientId(), accessScope, now, lifetime);
    Secret refresh = null;
    if (client.staysSignedIn(refreshScope)) {
      refresh = Hashing.newSecret(random);
      Instant idle = now.plus(client.refreshIdleLifetime());
      if (idle.isAfter(grant.expiresAt())) {
        idle = grant.expiresAt();
      }
      grants.insertRefreshToken(c, Hashing.sha256(refresh), grant.id(), refreshScope, now, idle);
    }
    return new TokenResponse(access, "Bearer", lifetime, refresh, accessScope, null, Map.of());
  }
}
