package io.devicelogin.server.grant;

import io.devicelogin.client.Secret;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.identity.UserService;
import io.devicelogin.server.store.Grant;
import io.devicelogin.server.store.GrantStore;
import io.devicelogin.server.store.RefreshToken;
import io.devicelogin.server.store.User;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Token introspection (RFC 7662): whether a token is good now, and what it grants. An access token
 * is good while its signature verifies, it has not expired, and its grant and account are active; a
 * refresh token while it is its grant's current one, within its idle and absolute lifetimes.
 */
final class Introspection {
  private static final Map<String, Object> INACTIVE = Map.of("active", false);

  private final AccessTokens accessTokens;
  private final GrantStore grants;
  private final UserService users;
  private final Clock clock;
  private final String issuer;

  Introspection(
      AccessTokens accessTokens, GrantStore grants, UserService users, Clock clock, String issuer) {
    this.accessTokens = accessTokens;
    this.grants = grants;
    this.users = users;
    this.clock = clock;
    this.issuer = issuer;
  }

  /** See {@link TokenService#introspect}. */
  Map<String, Object> introspect(Secret token) {
    Optional<AccessTokenClaims> claims = accessTokens.verify(token);
    if (claims.isPresent()) {
      return activeUser(grants.find(claims.get().grantId()))
          .map(user -> accessToken(claims.get(), user))
          .orElse(INACTIVE);
    }
    Optional<RefreshToken> refresh =
        grants.findRefreshToken(Hashing.sha256(token)).filter(r -> r.usableAt(clock.instant()));
    if (refresh.isEmpty()) {
      return INACTIVE;
    }
    Optional<Grant> grant =
        grants.find(refresh.get().grantId()).filter(g -> clock.instant().isBefore(g.expiresAt()));
    return activeUser(grant)
        .map(user -> refreshToken(refresh.get(), grant.get(), user))
        .orElse(INACTIVE);
  }

  /** See {@link TokenService#validAccessToken}. */
  Optional<AccessTokenClaims> validAccessToken(Secret token) {
    return accessTokens
        .verify(token)
        .filter(claims -> activeUser(grants.find(claims.grantId())).isPresent());
  }

  /** The account of a grant, if both are active. */
  private Optional<User> activeUser(Optional<Grant> grant) {
    return grant.filter(Grant::active).flatMap(g -> users.find(g.userId())).filter(User::isActive);
  }

  private Map<String, Object> accessToken(AccessTokenClaims claims, User user) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("active", true);
    out.put("scope", claims.scope().format());
    out.put("client_id", claims.clientId());
    out.put("username", user.username());
    out.put("token_type", "Bearer");
    out.put("exp", claims.expiresAt().getEpochSecond());
    out.put("iat", claims.issuedAt().getEpochSecond());
    out.put("sub", claims.subject());
    out.put("iss", issuer);
    out.put("jti", claims.jti());
    out.put("gid", claims.grantId());
    claims.idp().ifPresent(idp -> out.put("idp", idp));
    claims.authTime().ifPresent(t -> out.put("auth_time", t.getEpochSecond()));
    if (!claims.amr().isEmpty()) {
      out.put("amr", claims.amr());
    }
    return out;
  }

  private Map<String, Object> refreshToken(RefreshToken refresh, Grant grant, User user) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("active", true);
    out.put("scope", refresh.scope().format());
    out.put("client_id", grant.clientId());
    out.put("username", user.username());
    out.put("sub", user.id());
    out.put("token_type", "refresh_token");
    out.put("iss", issuer);
    out.put("gid", grant.id());
    human(grant).forEach(out::put);
    return out;
  }

  /** Who is behind a grant, as its tokens say it: {@code idp}, {@code auth_time}, {@code amr}. */
  private static Map<String, Object> human(Grant grant) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (grant.idp() != null) {
      out.put("idp", grant.idp());
    }
    if (grant.authTime() != null) {
      out.put("auth_time", grant.authTime().getEpochSecond());
    }
    if (!grant.amr().isEmpty()) {
      out.put("amr", grant.amr());
    }
    return out;
  }
}
