package io.devicelogin.server.grant;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.devicelogin.client.Secret;
import io.devicelogin.client.wire.TokenResponse;
import io.devicelogin.server.Hashing;
import io.devicelogin.server.audit.AuditEvent;
import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.identity.User;
import io.devicelogin.server.identity.UserService;
import io.devicelogin.server.oauth.OAuthProblem;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.store.Jdbc;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Tokens and grants: issuing, rotation, revocation, introspection.
 *
 * <p>Access tokens are RFC 9068 JWTs signed with ES256, carrying {@code sub}, {@code client_id},
 * {@code scope}, {@code jti} and the grant id ({@code gid}); whether one is still good is decided by
 * its signature, its expiry, and its grant being active, so revoking a grant ends its access tokens
 * at once. Refresh tokens are 256 random bits, stored as SHA-256 only, rotated on every use; a
 * rotated one presented again revokes the whole grant (RFC 9700 §4.14.2).
 */
public final class TokenService {
  private final Jdbc jdbc;
  private final SigningKeys keys;
  private final AuditLog audit;
  private final UserService users;
  private final Clock clock;
  private final SecureRandom random;
  private final String issuer;

  public TokenService(Jdbc jdbc, SigningKeys keys, AuditLog audit, UserService users, Clock clock,
      SecureRandom random, String issuer) {
    this.jdbc = jdbc;
    this.keys = keys;
    this.audit = audit;
    this.users = users;
    this.clock = clock;
    this.random = random;
    this.issuer = issuer;
  }

  /** Where the request came from, for the audit trail. */
  public record Origin(String ip, String userAgent) {}

  /**
   * Creates the grant for an approval, inside the approval's transaction.
   *
   * @return the grant id
   */
  public String createGrant(Connection c, String userId, ClientPolicy client, Set<String> scope,
      String deviceAuthorizationId, Instant requestedAt, String requestIp, String requestUserAgent,
      Origin approver) throws SQLException {
    String id = UUID.randomUUID().toString();
    Instant now = clock.instant();
    Jdbc.update(c,
        "INSERT INTO grants (id, user_id, client_id, scope, status, device_authorization_id, requested_at,"
            + " request_ip, request_user_agent, approved_at, approve_ip, approve_user_agent, created_at, expires_at)"
            + " VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        id, userId, client.clientId(), String.join(" ", scope), deviceAuthorizationId, requestedAt, requestIp,
        requestUserAgent, now, approver.ip(), approver.userAgent(), now, now.plus(client.refreshMaxLifetime()));
    return id;
  }

  /** Issues the first tokens of a grant whose device code was just redeemed. */
  public TokenResponse issueForGrant(String grantId, ClientPolicy client, Origin origin) {
    Grant grant = findGrant(grantId).orElseThrow(() -> OAuthProblem.invalidGrant("the grant is gone"));
    if (!grant.active()) {
      throw OAuthProblem.invalidGrant("the grant has been revoked");
    }
    TokenResponse response = mint(grant, client, grant.scope());
    jdbc.update("UPDATE grants SET last_used_at = ? WHERE id = ?", clock.instant(), grantId);
    audit.record(AuditEvent.of(AuditEvent.Type.TOKENS_ISSUED).actor("client:" + client.clientId())
        .user(grant.userId()).client(client.clientId()).scope(grant.scopeString()).grant(grantId)
        .deviceAuthorization(grant.deviceAuthorizationId()).ip(origin.ip()).userAgent(origin.userAgent()));
    return response;
  }

  /** The refresh token grant (RFC 6749 §6) with rotation and replay detection. */
  public TokenResponse refresh(Secret refreshToken, ClientPolicy client, Optional<Set<String>> requestedScope,
      Origin origin) {
    if (!client.refreshTokens()) {
      throw OAuthProblem.unauthorizedClient("this client may not use refresh tokens");
    }
    String hash = Hashing.sha256(refreshToken);
    Optional<String[]> row = jdbc.queryOne(
        "SELECT grant_id, status, scope, idle_expires_at FROM refresh_tokens WHERE token_hash = ?",
        r -> new String[] {r.getString(1), r.getString(2), r.getString(3), Jdbc.instant(r, "idle_expires_at").toString()},
        hash);
    if (row.isEmpty()) {
      throw OAuthProblem.invalidGrant("unknown refresh token");
    }
    String grantId = row.get()[0];
    Grant grant = findGrant(grantId).orElseThrow(() -> OAuthProblem.invalidGrant("unknown refresh token"));
    if (!grant.clientId().equals(client.clientId())) {
      throw OAuthProblem.invalidGrant("the refresh token was issued to another client");
    }
    if (!"ACTIVE".equals(row.get()[1])) {
      if ("ROTATED".equals(row.get()[1])) {
        replayDetected(grant, "a rotated refresh token was presented again", origin);
      }
      throw OAuthProblem.invalidGrant("the refresh token is no longer valid");
    }
    Instant now = clock.instant();
    if (!grant.active()) {
      throw OAuthProblem.invalidGrant("the grant has been revoked");
    }
    if (!now.isBefore(Instant.parse(row.get()[3])) || !now.isBefore(grant.expiresAt())) {
      throw OAuthProblem.invalidGrant("the refresh token has expired");
    }
    Optional<User> user = users.find(grant.userId());
    if (user.isEmpty() || !user.get().isActive()) {
      throw OAuthProblem.invalidGrant("the account is disabled");
    }
    Set<String> current = splitScope(row.get()[2]);
    Set<String> scope = requestedScope.orElse(current);
    if (!current.containsAll(scope)) {
      throw OAuthProblem.invalidScope("a refresh cannot widen the scope");
    }
    int rotated = jdbc.update(
        "UPDATE refresh_tokens SET status = 'ROTATED' WHERE token_hash = ? AND status = 'ACTIVE'", hash);
    if (rotated != 1) {
      // Another request rotated it between our read and our update: the same token used twice.
      replayDetected(grant, "the refresh token was presented twice at once", origin);
      throw OAuthProblem.invalidGrant("the refresh token is no longer valid");
    }
    TokenResponse response = mint(grant, client, scope);
    jdbc.update("UPDATE grants SET last_used_at = ? WHERE id = ?", now, grant.id());
    audit.record(AuditEvent.of(AuditEvent.Type.REFRESHED).actor("client:" + client.clientId())
        .user(grant.userId()).client(client.clientId()).scope(String.join(" ", scope)).grant(grant.id())
        .ip(origin.ip()).userAgent(origin.userAgent()));
    return response;
  }

  /**
   * RFC 7009: revokes the grant of a refresh or access token presented by the client it was issued
   * to. An unknown or invalid token is not an error (§2.2).
   */
  public void revokeToken(Secret token, Optional<String> hint, ClientPolicy client, Origin origin) {
    Optional<String> grantId = Optional.empty();
    if (!hint.filter("access_token"::equals).isPresent()) {
      grantId = jdbc.queryOne("SELECT grant_id FROM refresh_tokens WHERE token_hash = ?", r -> r.getString(1),
          Hashing.sha256(token));
    }
    if (grantId.isEmpty()) {
      grantId = verifyAccessToken(token).map(AccessTokenClaims::grantId);
    }
    if (grantId.isEmpty()) {
      return;
    }
    Optional<Grant> grant = findGrant(grantId.get());
    if (grant.isEmpty()) {
      return;
    }
    if (!grant.get().clientId().equals(client.clientId())) {
      throw OAuthProblem.unauthorizedClient("the token was issued to another client");
    }
    revokeGrant(grant.get().id(), "client:" + client.clientId(), "revoked by the client", origin);
  }

  /**
   * Revokes a grant and every token it produced; true if it was active.
   *
   * @param by who: {@code user:…}, {@code admin:…}, {@code client:…} or {@code system}
   */
  public boolean revokeGrant(String grantId, String by, String reason, Origin origin) {
    Instant now = clock.instant();
    int changed = jdbc.update(
        "UPDATE grants SET status = 'REVOKED', revoked_at = ?, revoked_by = ?, revoke_reason = ?"
            + " WHERE id = ? AND status = 'ACTIVE'", now, by, reason, grantId);
    jdbc.update("UPDATE refresh_tokens SET status = 'REVOKED' WHERE grant_id = ? AND status = 'ACTIVE'", grantId);
    if (changed == 1) {
      Grant grant = findGrant(grantId).orElseThrow();
      audit.record(AuditEvent.of(AuditEvent.Type.REVOKED).actor(by).user(grant.userId()).client(grant.clientId())
          .scope(grant.scopeString()).grant(grantId).ip(origin.ip()).userAgent(origin.userAgent()).detail(reason));
    }
    return changed == 1;
  }

  /** RFC 7662: what a token is, for a resource server. */
  public Map<String, Object> introspect(Secret token) {
    Optional<AccessTokenClaims> claims = verifyAccessToken(token);
    if (claims.isPresent()) {
      Optional<Grant> grant = findGrant(claims.get().grantId()).filter(Grant::active);
      Optional<User> user = grant.flatMap(g -> users.find(g.userId())).filter(User::isActive);
      if (user.isPresent()) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("active", true);
        out.put("scope", String.join(" ", claims.get().scope()));
        out.put("client_id", claims.get().clientId());
        out.put("username", user.get().username());
        out.put("token_type", "Bearer");
        out.put("exp", claims.get().expiresAt().getEpochSecond());
        out.put("iat", claims.get().issuedAt().getEpochSecond());
        out.put("sub", claims.get().subject());
        out.put("iss", issuer);
        out.put("jti", claims.get().jti());
        return out;
      }
      return Map.of("active", false);
    }
    Optional<String[]> refresh = jdbc.queryOne(
        "SELECT grant_id, status, scope, idle_expires_at FROM refresh_tokens WHERE token_hash = ?",
        r -> new String[] {r.getString(1), r.getString(2), r.getString(3), Jdbc.instant(r, "idle_expires_at").toString()},
        Hashing.sha256(token));
    if (refresh.isPresent() && "ACTIVE".equals(refresh.get()[1])
        && clock.instant().isBefore(Instant.parse(refresh.get()[3]))) {
      Optional<Grant> grant = findGrant(refresh.get()[0]).filter(Grant::active)
          .filter(g -> clock.instant().isBefore(g.expiresAt()));
      Optional<User> user = grant.flatMap(g -> users.find(g.userId())).filter(User::isActive);
      if (user.isPresent()) {
        return Map.of("active", true, "scope", refresh.get()[2], "client_id", grant.get().clientId(),
            "username", user.get().username(), "sub", user.get().id(), "token_type", "refresh_token",
            "iss", issuer);
      }
    }
    return Map.of("active", false);
  }

  /** Verifies an access token's signature, issuer and expiry; the grant is not consulted. */
  public Optional<AccessTokenClaims> verifyAccessToken(Secret token) {
    String text = token.revealForTransmission();
    if (text.length() > 4096 || text.chars().filter(ch -> ch == '.').count() != 2) {
      return Optional.empty();
    }
    try {
      SignedJWT jwt = SignedJWT.parse(text);
      if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
        return Optional.empty();
      }
      ECKey key = keys.all().stream().filter(k -> k.getKeyID().equals(jwt.getHeader().getKeyID())).findFirst()
          .orElse(null);
      if (key == null || !jwt.verify(new ECDSAVerifier(key.toECPublicKey()))) {
        return Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      if (!issuer.equals(claims.getIssuer()) || claims.getExpirationTime() == null
          || !clock.instant().isBefore(claims.getExpirationTime().toInstant())) {
        return Optional.empty();
      }
      String scope = claims.getStringClaim("scope");
      return Optional.of(new AccessTokenClaims(claims.getSubject(), claims.getStringClaim("client_id"),
          splitScope(scope == null ? "" : scope), claims.getStringClaim("gid"), claims.getJWTID(),
          claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()));
    } catch (ParseException | JOSEException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether an access token is good now: verified, and its grant and user active. */
  public Optional<AccessTokenClaims> validAccessToken(Secret token) {
    return verifyAccessToken(token).filter(claims -> findGrant(claims.grantId())
        .filter(Grant::active)
        .flatMap(g -> users.find(g.userId()))
        .filter(User::isActive)
        .isPresent());
  }

  public Optional<Grant> findGrant(String id) {
    return jdbc.queryOne("SELECT * FROM grants WHERE id = ?", Grant::map, id);
  }

  /** A person's grants, newest first. */
  public List<Grant> grantsOf(String userId) {
    return jdbc.query("SELECT * FROM grants WHERE user_id = ? ORDER BY approved_at DESC", Grant::map, userId);
  }

  /** Every grant, newest first, optionally filtered. */
  public List<Grant> grants(String userId, String clientId, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM grants WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (userId != null) {
      sql.append(" AND user_id = ?");
      args.add(userId);
    }
    if (clientId != null) {
      sql.append(" AND client_id = ?");
      args.add(clientId);
    }
    sql.append(" ORDER BY approved_at DESC LIMIT ").append(Math.max(1, Math.min(limit, 1000)));
    return jdbc.query(sql.toString(), Grant::map, args.toArray());
  }

  private void replayDetected(Grant grant, String what, Origin origin) {
    audit.record(AuditEvent.of(AuditEvent.Type.REPLAY_DETECTED).actor("client:" + grant.clientId())
        .user(grant.userId()).client(grant.clientId()).grant(grant.id()).ip(origin.ip())
        .userAgent(origin.userAgent()).detail(what));
    revokeGrant(grant.id(), "system", "replay detected: " + what, origin);
  }

  private TokenResponse mint(Grant grant, ClientPolicy client, Set<String> scope) {
    Instant now = clock.instant();
    Duration lifetime = client.accessTokenLifetime();
    Secret access = sign(grant, client, scope, now, lifetime);
    Secret refresh = null;
    if (client.refreshTokens()) {
      refresh = Hashing.newSecret(random);
      Instant idle = now.plus(client.refreshIdleLifetime());
      if (idle.isAfter(grant.expiresAt())) {
        idle = grant.expiresAt();
      }
      jdbc.update("INSERT INTO refresh_tokens (token_hash, grant_id, status, scope, created_at, idle_expires_at)"
          + " VALUES (?, ?, 'ACTIVE', ?, ?, ?)", Hashing.sha256(refresh), grant.id(), String.join(" ", scope), now, idle);
    }
    return new TokenResponse(access, "Bearer", lifetime, refresh, scope, null, Map.of());
  }

  private Secret sign(Grant grant, ClientPolicy client, Set<String> scope, Instant now, Duration lifetime) {
    ECKey key = keys.active();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(grant.userId())
        .audience(client.clientId())
        .claim("client_id", client.clientId())
        .claim("scope", String.join(" ", scope))
        .claim("gid", grant.id())
        .jwtID(UUID.randomUUID().toString())
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(lifetime)))
        .build();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
        .type(new JOSEObjectType("at+jwt")).build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign an access token", e);
    }
    return Secret.of(jwt.serialize());
  }

  static Set<String> splitScope(String scope) {
    Set<String> result = new LinkedHashSet<>();
    for (String s : scope.split(" ")) {
      if (!s.isEmpty()) {
        result.add(s);
      }
    }
    return result;
  }
}
