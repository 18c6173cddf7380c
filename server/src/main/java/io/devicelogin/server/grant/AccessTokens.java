package io.devicelogin.server.grant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.policy.ClientRegistry;
import io.devicelogin.server.store.Grant;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access tokens as RFC 9068 JWTs signed with ES256, carrying {@code sub}, {@code client_id}, {@code
 * scope}, {@code jti}, the grant id ({@code gid}) and the human behind it as the grant recorded at
 * approval: {@code idp} (the upstream; absent for a local password), {@code auth_time} and {@code
 * amr} (RFC 9068 §2.2.1) — and their check: signature, issuer, expiry, and times the server itself
 * could have written: {@code iat} and {@code nbf} present, not in the future, and a lifetime no
 * longer than its client's policy allows. The last is what stops a token forged with a stolen
 * signing key from outliving the theft by years. Whether the grant is still active is for the
 * caller to ask.
 */
public final class AccessTokens {
  private static final Logger log = LoggerFactory.getLogger(AccessTokens.class);

  /** Signers by key id: building one decodes the private key, which a token need not pay for. */
  private final Map<String, ECDSASigner> signers = new ConcurrentHashMap<>();

  /**
   * Access tokens whose signature and issuer were verified, by the SHA-256 of the token (the tokens
   * themselves are not kept): a resource server introspects the same token again and again, and an
   * ES256 verification costs far more than the hash. Expiry is checked on every call.
   */
  private final Cache<String, AccessTokenClaims> verified =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(15)).build();

  private final SigningKeys keys;
  private final ClientRegistry clients;
  private final Clock clock;
  private final String issuer;

  /**
   * @param clients whose policies bound the lifetime of a token they hold
   */
  public AccessTokens(SigningKeys keys, ClientRegistry clients, Clock clock, String issuer) {
    this.keys = keys;
    this.clients = clients;
    this.clock = clock;
    this.issuer = issuer;
  }

  /** Signs an access token of {@code grant} for {@code clientId} and {@code scope}. */
  public Secret sign(Grant grant, String clientId, Scope scope, Instant now, Duration lifetime) {
    ECKey key = keys.active();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(grant.userId())
            .audience(clientId)
            .claim("client_id", clientId)
            .claim("scope", scope.format())
            .claim("gid", grant.id())
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)));
    if (grant.idp() != null) {
      claims.claim("idp", grant.idp());
    }
    if (grant.authTime() != null) {
      claims.claim("auth_time", grant.authTime().getEpochSecond());
    }
    if (!grant.amr().isEmpty()) {
      claims.claim("amr", grant.amr());
    }
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.ES256)
            .keyID(key.getKeyID())
            .type(new JOSEObjectType("at+jwt"))
            .build();
    SignedJWT jwt = new SignedJWT(header, claims.build());
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

  /**
   * Verifies an access token's signature, issuer, expiry and times (see the class); the grant is
   * not consulted.
   */
  public Optional<AccessTokenClaims> verify(Secret token) {
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
      if (!asTheServerWouldHaveIssuedIt(claims, key.getKeyID())) {
        return Optional.empty();
      }
      String scope = claims.getStringClaim("scope");
      return Optional.of(
          new AccessTokenClaims(
              claims.getSubject(),
              claims.getStringClaim("client_id"),
              scopeOf(scope),
              claims.getStringClaim("gid"),
              claims.getJWTID(),
              claims.getIssueTime().toInstant(),
              claims.getExpirationTime().toInstant(),
              Optional.ofNullable(claims.getStringClaim("idp")),
              Optional.ofNullable(claims.getLongClaim("auth_time")).map(Instant::ofEpochSecond),
              Optional.ofNullable(claims.getStringListClaim("amr")).orElse(List.of())));
    } catch (ParseException | JOSEException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The {@code scope} claim's tokens, in their order; none if the claim is absent. */
  private static Scope scopeOf(String claim) {
    return claim == null ? Scope.empty() : Scope.parse(claim);
  }

  /**
   * Whether a well-signed token's times are ones this server writes: {@code iat} and {@code nbf}
   * present, neither later than now (give or take {@link Defaults#CLOCK_SKEW}, for instances whose
   * clocks differ), and {@code exp − iat} within the access-token lifetime of a client that exists.
   * A token outside these was not issued here, so its signing key is in other hands: said in the
   * log, without the token.
   */
  private boolean asTheServerWouldHaveIssuedIt(JWTClaimsSet claims, String keyId)
      throws ParseException {
    Date issued = claims.getIssueTime();
    Date notBefore = claims.getNotBeforeTime();
    Instant latest = clock.instant().plus(Defaults.CLOCK_SKEW);
    if (issued == null || notBefore == null) {
      return refused("without iat or nbf", keyId);
    }
    if (issued.toInstant().isAfter(latest) || notBefore.toInstant().isAfter(latest)) {
      return refused("issued in the future", keyId);
    }
    Optional<Duration> allowed =
        clients.find(claims.getStringClaim("client_id")).map(ClientPolicy::accessTokenLifetime);
    if (allowed.isEmpty()) {
      return refused("of a client that does not exist", keyId);
    }
    Duration lifetime =
        Duration.between(issued.toInstant(), claims.getExpirationTime().toInstant());
    if (lifetime.compareTo(allowed.get()) > 0) {
      return refused("longer-lived than its client's policy", keyId);
    }
    return true;
  }

  private static boolean refused(String why, String keyId) {
    log.warn(
        "refused an access token signed with key {} but {}: was the signing key copied?",
        keyId,
        why);
    return false;
  }
}
