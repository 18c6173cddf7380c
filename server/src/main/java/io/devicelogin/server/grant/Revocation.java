package io.devicelogin.server.grant;

import io.devicelogin.client.Secret;
import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.Grant;
import io.devicelogin.server.store.GrantStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token revocation (RFC 7009): a refresh or an access token presented by its client revokes its
 * whole grant, as do the person, an admin and replay detection. Revoking a grant revokes its
 * refresh tokens, and its access tokens with it, since they are good only while their grant is
 * active.
 */
final class Revocation {
  private static final Logger log = LoggerFactory.getLogger(Revocation.class);

  private final GrantStore grants;
  private final AccessTokens accessTokens;
  private final AuditLog audit;
  private final Clock clock;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  Revocation(GrantStore grants, AccessTokens accessTokens, AuditLog audit, Clock clock) {
    this.grants = grants;
    this.accessTokens = accessTokens;
    this.audit = audit;
    this.clock = clock;
  }

  /** See {@link TokenService#onGrantRevoked}. */
  void onGrantRevoked(Runnable listener) {
    listeners.add(listener);
  }

  /** See {@link TokenService#revokeToken}. */
  void revokeToken(Secret token, Optional<String> hint, ClientPolicy client, Origin origin) {
    // The hint only says where to look first: a token not found there is looked for everywhere
    // (RFC 7009 §2.1).
    Optional<String> grantId;
    if (hint.filter("access_token"::equals).isPresent()) {
      grantId = accessTokenGrant(token).or(() -> refreshTokenGrant(token));
    } else {
      grantId = refreshTokenGrant(token).or(() -> accessTokenGrant(token));
    }
    Optional<Grant> grant = grantId.flatMap(grants::find);
    if (grant.isEmpty()) {
      return;
    }
    if (!grant.get().clientId().equals(client.clientId())) {
      throw OAuthProblem.unauthorizedClient("the token was issued to another client");
    }
    revokeGrant(grant.get().id(), "client:" + client.clientId(), "revoked by the client", origin);
  }

  private Optional<String> accessTokenGrant(Secret token) {
    return accessTokens.verify(token).map(AccessTokenClaims::grantId);
  }

  private Optional<String> refreshTokenGrant(Secret token) {
    return grants.grantOfRefreshToken(Hashing.sha256(token));
  }

  /** See {@link TokenService#revokeGrant}. */
  boolean revokeGrant(String grantId, String by, String reason, Origin origin) {
    if (!grants.revoke(grantId, clock.instant(), by, reason)) {
      return false;
    }
    Grant grant = grants.find(grantId).orElseThrow();
    audit.record(
        AuditEvent.by(AuditEvent.Type.REVOKED, by)
            .user(grant.userId())
            .client(grant.clientId())
            .scope(grant.scope())
            .grant(grantId)
            .origin(origin)
            .detail(reason));
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        log.warn("a revocation listener failed: {}", e.getClass().getName());
      }
    }
    return true;
  }
}
