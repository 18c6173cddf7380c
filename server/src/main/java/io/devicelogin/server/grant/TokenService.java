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
import io.devicelogin.client.wire.Scope;
import io.devicelogin.client.wire.TokenResponse;
import io.devicelogin.server.audit.AuditEvent;
import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.identity.User;
import io.devicelogin.server.identity.UserService;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.protocol.Origin;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tokens and grants: issuing, rotation, revocation, introspection.
 *
 * <p>Access tokens are RFC 9068 JWTs signed with ES256, carrying {@code sub}, {@code client_id},
 * {@code scope}, {@code jti} and the grant id ({@code gid}); whether one is still good is decided
 * by its signature, its expiry, and its grant being active, so revoking a grant ends its access
 * tokens at once. Refresh tokens are 256 random bits, stored as SHA-256 only, rotated on every use;
 * a rotated one presented again revokes the whole grant (RFC 9700 §4.14.2).
 */
public final class TokenService {
  private static final Logger log = LoggerFactory.getLogger(TokenService.class);
  private final Jdbc jdbc;
  private final SigningKeys keys;
  private final AuditLog audit;
  private final UserService users;
  private final Clock clock;
  private final SecureRandom random;
  private final String issuer;
  private final List<Runnable> revocationListeners = new CopyOnWriteArrayList<>();

  /** Signers by key id: building one decodes the private key, which a token need not pay for. */
  private final java.util.Map<String, ECDSASigner> signers =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Access tokens whose signature and issuer were verified, by the SHA-256 of the token (the tokens
   * themselves are not kept): a resource server introspects the same token again and again, and an
   * ES256 verification costs far more than the hash. Expiry and the grant are checked on every
   * call.
   */
  private final com.github.benmanes.caffeine.cache.Cache<String, AccessTokenClaims> verified =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
          .maximumSize(100_000)
          .expireAfterWrite(java.time.Duration.ofMinutes(15))
          .build();

  public TokenService(
      Jdbc jdbc,
      SigningKeys keys,
      AuditLog audit,
      UserService users,
      Clock clock,
      SecureRandom random,
      String issuer) {
    this.jdbc = jdbc;
    this.keys = keys;
    this.audit = audit;
    this.users = users;
    this.clock = clock;
    this.random = random;
    this.issuer = issuer;
  }

  /**
   * Runs {@code listener} after every revocation that took effect (not for a grant that was already
   * revoked), whoever revoked it: the person, an admin, the client, or replay detection. For
   * counters such as {@code devicelogin_grants_revoked_total}; a listener that throws is logged and
   * does not undo the revocation.
   */
  public void onGrantRevoked(Runnable listener) {
    revocationListeners.add(listener);
  }

  /**
   * Creates the grant for an approval, inside the approval's transaction. Only an active account
   * gets one: the account is read afresh here, since the {@link User} the caller holds may predate
   * a lock or a disable.
   *
   * @return the grant id
   * @throws IllegalStateException if the account is not active (any more)
   */
  public String createGrant(
      Connection c,
      String userId,
      ClientPolicy client,
      Set<String> scope,
      String deviceAuthorizationId,
      Instant requestedAt,
      String requestIp,
      String requestUserAgent,
      Origin approver)
      throws SQLException {
    if (users.find(userId).filter(User::isActive).isEmpty()) {
      throw new IllegalStateException("this account cannot approve sign-ins");
    }
    String id = UUID.randomUUID().toString();
    Instant now = clock.instant();
    Jdbc.update(
        c,
        "INSERT INTO grants (id, user_id, client_id, scope, status, device_authorization_id, requested_at,"
            + " request_ip, request_user_agent, approved_at, approve_ip, approve_user_agent, created_at, expires_at)"
            + " VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        id,
        userId,
        client.clientId(),
        Scope.of(scope).format(),
        deviceAuthorizationId,
        requestedAt,
        requestIp,
        truncate(requestUserAgent),
        now,
        approver.ip(),
        truncate(approver.userAgent()),
        now,
        now.plus(client.refreshMaxLifetime()));
    return id;
  }

  /**
   * Issues the first tokens of a grant whose device code is being redeemed, inside the redemption's
   * transaction and on its connection (so that it needs no second connection from the pool while
   * other polls of the same code hold theirs, waiting for the row). The audit event is logged by
   * {@code afterCommit}.
   */
  public TokenResponse issueForGrant(
      Connection c, String grantId, ClientPolicy client, Origin origin, List<Runnable> afterCommit)
      throws SQLException {
    Instant now = clock.instant();
    // Locks the grant's row: a revocation running now waits for this transaction, and then revokes
    // the refresh token issued here too.
    if (Jdbc.update(
            c,
            "UPDATE grants SET last_used_at = ? WHERE id = ? AND status = 'ACTIVE'",
            now,
            grantId)
        != 1) {
      throw OAuthProblem.invalidGrant("the grant has been revoked");
    }
    Grant grant = Jdbc.query(c, "SELECT * FROM grants WHERE id = ?", Grant::map, grantId).get(0);
    // The account may have been disabled or locked since it approved: no tokens for it then. The
    // redemption rolls back with this, so the approval stands if the account is enabled again in
    // time.
    List<String> status =
        Jdbc.query(c, "SELECT status FROM users WHERE id = ?", r -> r.getString(1), grant.userId());
    if (status.isEmpty() || !User.Status.ACTIVE.name().equals(status.get(0))) {
      throw OAuthProblem.accountNotActive();
    }
    TokenResponse response = mint(c, grant, client, grant.scope(), grant.scope());
    afterCommit.add(
        audit.record(
            c,
            AuditEvent.of(AuditEvent.Type.TOKENS_ISSUED)
                .actor("client:" + client.clientId())
                .user(grant.userId())
                .client(client.clientId())
                .scope(grant.scopeString())
                .grant(grantId)
                .deviceAuthorization(grant.deviceAuthorizationId())
                .ip(origin.ip())
                .userAgent(origin.userAgent())));
    return response;
  }

  /**
   * The refresh token grant (RFC 6749 §6) with rotation and replay detection. A narrower {@code
   * scope} narrows the new access token only: the new refresh token keeps the scope of the one it
   * replaces (§6: "the refresh token scope MUST be identical to that of the refresh token included
   * by the client in the request"), so a later refresh may ask for the rest again.
   */
  public TokenResponse refresh(
      Secret refreshToken,
      ClientPolicy client,
      Optional<Set<String>> requestedScope,
      Origin origin) {
    if (!client.refreshTokens()) {
      throw OAuthProblem.unauthorizedClient("this client may not use refresh tokens");
    }
    String hash = Hashing.sha256(refreshToken);
    Optional<RefreshRow> row = refreshRow(hash);
    if (row.isEmpty()) {
      throw OAuthProblem.invalidGrant("unknown refresh token");
    }
    Grant grant =
        findGrant(row.get().grantId())
            .orElseThrow(() -> OAuthProblem.invalidGrant("unknown refresh token"));
    if (!grant.clientId().equals(client.clientId())) {
      throw OAuthProblem.invalidGrant("the refresh token was issued to another client");
    }
    if (!"ACTIVE".equals(row.get().status())) {
      if ("ROTATED".equals(row.get().status())) {
        replayDetected(grant, "a rotated refresh token was presented again", origin);
      }
      throw OAuthProblem.invalidGrant("the refresh token is no longer valid");
    }
    Instant now = clock.instant();
    if (!grant.active()) {
      throw OAuthProblem.invalidGrant("the grant has been revoked");
    }
    if (!now.isBefore(row.get().idleExpiresAt()) || !now.isBefore(grant.expiresAt())) {
      throw OAuthProblem.invalidGrant("the refresh token has expired");
    }
    Optional<User> user = users.find(grant.userId());
    if (user.isEmpty() || !user.get().isActive()) {
      throw OAuthProblem.invalidGrant("the account is disabled");
    }
    Set<String> current = row.get().scope();
    Set<String> scope = requestedScope.orElse(current);
    if (!current.containsAll(scope)) {
      throw OAuthProblem.invalidScope("a refresh cannot widen the scope");
    }
    // Rotation, the new tokens and the audit row commit together: a failure leaves the presented
    // token usable instead of rotating it away without a successor.
    List<Runnable> afterCommit = new ArrayList<>();
    TokenResponse response =
        jdbc.transaction(
            c -> {
              int rotated =
                  Jdbc.update(
                      c,
                      "UPDATE refresh_tokens SET status = 'ROTATED' WHERE token_hash = ? AND status = 'ACTIVE'",
                      hash);
              if (rotated != 1) {
                return null;
              }
              if (Jdbc.update(
                      c,
                      "UPDATE grants SET last_used_at = ? WHERE id = ? AND status = 'ACTIVE'",
                      now,
                      grant.id())
                  != 1) {
                throw OAuthProblem.invalidGrant("the grant has been revoked");
              }
              TokenResponse r = mint(c, grant, client, scope, current);
              afterCommit.add(
                  audit.record(
                      c,
                      AuditEvent.of(AuditEvent.Type.REFRESHED)
                          .actor("client:" + client.clientId())
                          .user(grant.userId())
                          .client(client.clientId())
                          .scope(Scope.of(scope).format())
                          .grant(grant.id())
                          .ip(origin.ip())
                          .userAgent(origin.userAgent())));
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

  /** A stored refresh token: never the token, only what its hash finds. */
  private record RefreshRow(
      String grantId, String status, Set<String> scope, Instant idleExpiresAt) {}

  private Optional<RefreshRow> refreshRow(String hash) {
    return jdbc.queryOne(
        "SELECT grant_id, status, scope, idle_expires_at FROM refresh_tokens WHERE token_hash = ?",
        r ->
            new RefreshRow(
                r.getString("grant_id"),
                r.getString("status"),
                Scope.parse(r.getString("scope")).asSet(),
                Jdbc.instant(r, "idle_expires_at")),
        hash);
  }

  /**
   * RFC 7009: revokes the grant of a refresh or access token presented by the client it was issued
   * to. An unknown or invalid token is not an error (§2.2).
   */
  public void revokeToken(Secret token, Optional<String> hint, ClientPolicy client, Origin origin) {
    // The hint only says where to look first: a token not found there is looked for everywhere
    // (RFC 7009 §2.1).
    Optional<String> grantId;
    if (hint.filter("access_token"::equals).isPresent()) {
      grantId =
          verifyAccessToken(token)
              .map(AccessTokenClaims::grantId)
              .or(() -> refreshTokenGrant(token));
    } else {
      grantId =
          refreshTokenGrant(token)
              .or(() -> verifyAccessToken(token).map(AccessTokenClaims::grantId));
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

  private Optional<String> refreshTokenGrant(Secret token) {
    return jdbc.queryOne(
        "SELECT grant_id FROM refresh_tokens WHERE token_hash = ?",
        r -> r.getString(1),
        Hashing.sha256(token));
  }

  /**
   * Revokes a grant and every token it produced; true if it was active.
   *
   * @param by who: {@code user:…}, {@code admin:…}, {@code client:…} or {@code system}
   */
  public boolean revokeGrant(String grantId, String by, String reason, Origin origin) {
    Instant now = clock.instant();
    int changed =
        jdbc.update(
            "UPDATE grants SET status = 'REVOKED', revoked_at = ?, revoked_by = ?, revoke_reason = ?"
                + " WHERE id = ? AND status = 'ACTIVE'",
            now,
            by,
            reason,
            grantId);
    jdbc.update(
        "UPDATE refresh_tokens SET status = 'REVOKED' WHERE grant_id = ? AND status = 'ACTIVE'",
        grantId);
    if (changed == 1) {
      Grant grant = findGrant(grantId).orElseThrow();
      audit.record(
          AuditEvent.of(AuditEvent.Type.REVOKED)
              .actor(by)
              .user(grant.userId())
              .client(grant.clientId())
              .scope(grant.scopeString())
              .grant(grantId)
              .ip(origin.ip())
              .userAgent(origin.userAgent())
              .detail(reason));
      for (Runnable listener : revocationListeners) {
        try {
          listener.run();
        } catch (RuntimeException e) {
          log.warn("a revocation listener failed: {}", e.getClass().getName());
        }
      }
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
        out.put("scope", Scope.of(claims.get().scope()).format());
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
    Optional<RefreshRow> refresh = refreshRow(Hashing.sha256(token));
    if (refresh.isPresent()
        && "ACTIVE".equals(refresh.get().status())
        && clock.instant().isBefore(refresh.get().idleExpiresAt())) {
      Optional<Grant> grant =
          findGrant(refresh.get().grantId())
              .filter(Grant::active)
              .filter(g -> clock.instant().isBefore(g.expiresAt()));
      Optional<User> user = grant.flatMap(g -> users.find(g.userId())).filter(User::isActive);
      if (user.isPresent()) {
        return Map.of(
            "active",
            true,
            "scope",
            Scope.of(refresh.get().scope()).format(),
            "client_id",
            grant.get().clientId(),
            "username",
            user.get().username(),
            "sub",
            user.get().id(),
            "token_type",
            "refresh_token",
            "iss",
            issuer);
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
    String hash = Hashing.sha256(text);
    AccessTokenClaims known = verified.getIfPresent(hash);
    if (known != null) {
      return clock.instant().isBefore(known.expiresAt()) ? Optional.of(known) : Optional.empty();
    }
    Optional<AccessTokenClaims> claims = verifySignatureAndClaims(text);
    claims.ifPresent(c -> verified.put(hash, c));
    return claims;
  }

  private Optional<AccessTokenClaims> verifySignatureAndClaims(String text) {
    try {
      SignedJWT jwt = SignedJWT.parse(text);
      if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
        return Optional.empty();
      }
      ECKey key =
          keys.all().stream()
              .filter(k -> k.getKeyID().equals(jwt.getHeader().getKeyID()))
              .findFirst()
              .orElse(null);
      if (key == null || !jwt.verify(new ECDSAVerifier(key.toECPublicKey()))) {
        return Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      if (!issuer.equals(claims.getIssuer())
          || claims.getExpirationTime() == null
          || !clock.instant().isBefore(claims.getExpirationTime().toInstant())) {
        return Optional.empty();
      }
      String scope = claims.getStringClaim("scope");
      return Optional.of(
          new AccessTokenClaims(
              claims.getSubject(),
              claims.getStringClaim("client_id"),
              Scope.parse(scope == null ? "" : scope).asSet(),
              claims.getStringClaim("gid"),
              claims.getJWTID(),
              claims.getIssueTime().toInstant(),
              claims.getExpirationTime().toInstant()));
    } catch (ParseException | JOSEException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether an access token is good now: verified, and its grant and user active. */
  public Optional<AccessTokenClaims> validAccessToken(Secret token) {
    return verifyAccessToken(token)
        .filter(
            claims ->
                findGrant(claims.grantId())
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
    return jdbc.query(
        "SELECT * FROM grants WHERE user_id = ? ORDER BY approved_at DESC", Grant::map, userId);
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
    if (!grant.active()) {
      // Already revoked: the first replay was recorded and ended it. Recording every later one
      // would
      // let anyone holding a dead token make the server write to the database at will.
      return;
    }
    audit.record(
        AuditEvent.of(AuditEvent.Type.REPLAY_DETECTED)
            .actor("client:" + grant.clientId())
            .user(grant.userId())
            .client(grant.clientId())
            .grant(grant.id())
            .ip(origin.ip())
            .userAgent(origin.userAgent())
            .detail(what));
    revokeGrant(grant.id(), "system", "replay detected: " + what, origin);
  }

  /**
   * Signs an access token for {@code accessScope} and, if the client uses them, stores a new
   * refresh token for {@code refreshScope}, on the caller's connection.
   */
  private TokenResponse mint(
      Connection c,
      Grant grant,
      ClientPolicy client,
      Set<String> accessScope,
      Set<String> refreshScope)
      throws SQLException {
    Instant now = clock.instant();
    Duration lifetime = client.accessTokenLifetime();
    Secret access = sign(grant, client, accessScope, now, lifetime);
    Secret refresh = null;
    if (client.refreshTokens()) {
      refresh = Hashing.newSecret(random);
      Instant idle = now.plus(client.refreshIdleLifetime());
      if (idle.isAfter(grant.expiresAt())) {
        idle = grant.expiresAt();
      }
      Jdbc.update(
          c,
          "INSERT INTO refresh_tokens (token_hash, grant_id, status, scope, created_at, idle_expires_at)"
              + " VALUES (?, ?, 'ACTIVE', ?, ?, ?)",
          Hashing.sha256(refresh),
          grant.id(),
          Scope.of(refreshScope).format(),
          now,
          idle);
    }
    return new TokenResponse(
        access, "Bearer", lifetime, refresh, Scope.of(accessScope), null, Map.of());
  }

  private Secret sign(
      Grant grant, ClientPolicy client, Set<String> scope, Instant now, Duration lifetime) {
    ECKey key = keys.active();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(grant.userId())
            .audience(client.clientId())
            .claim("client_id", client.clientId())
            .claim("scope", Scope.of(scope).format())
            .claim("gid", grant.id())
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)))
            .build();
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.ES256)
            .keyID(key.getKeyID())
            .type(new JOSEObjectType("at+jwt"))
            .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      ECDSASigner signer = signers.get(key.getKeyID());
      if (signer == null) {
        signer = new ECDSASigner(key);
        signers.put(key.getKeyID(), signer);
      }
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign an access token", e);
    }
    return Secret.of(jwt.serialize());
  }

  private static String truncate(String userAgent) {
    return userAgent == null || userAgent.length() <= 512 ? userAgent : userAgent.substring(0, 512);
  }
}
