package io.devicelogin.server.upstream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.devicelogin.server.protocol.OAuthProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The ID token check of OpenID Connect Core §3.1.3.7, all of it, before anything in the token is
 * believed: an algorithm of the allow-list (never {@code none}, never a MAC, whose key would be the
 * public key anyone can fetch), the signature by one of the upstream's keys, {@code iss} exactly
 * the configured issuer, {@code aud} holding our client id, {@code azp} our client id when present
 * or when there are several audiences, {@code exp} and {@code iat} within a small skew of this
 * server's clock, a {@code sub}, and the {@code nonce} of this very sign-in, used once.
 */
final class IdTokenCheck {
  /** Public-key signatures only. */
  static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512);

  /** The {@code sub} column's size. */
  private static final int LONGEST_SUBJECT = 255;

  private final String issuer;
  private final String clientId;
  private final UpstreamKeys keys;
  private final UsedNonces nonces;
  private final Clock clock;
  private final Duration skew;

  IdTokenCheck(
      String issuer,
      String clientId,
      UpstreamKeys keys,
      UsedNonces nonces,
      Clock clock,
      Duration skew) {
    this.issuer = issuer;
    this.clientId = clientId;
    this.keys = keys;
    this.nonces = nonces;
    this.clock = clock;
    this.skew = skew;
  }

  /**
   * The claims of {@code idToken} if it passes every check for a sign-in that sent {@code nonce}.
   *
   * @throws OAuthProblem naming the first check it fails
   * @throws IOException when the upstream's keys cannot be fetched
   */
  JWTClaimsSet check(String idToken, String nonce) throws IOException {
    SignedJWT jwt = signed(idToken);
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    if (!ALGORITHMS.contains(alg)) {
      throw UpstreamProblems.untrusted("it is signed with " + alg + ", which is not allowed");
    }
    verifySignature(jwt);
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw UpstreamProblems.untrusted("its claims are not a JSON object");
    }
    checkIssuerAndAudience(claims);
    checkTimes(claims);
    String subject = claims.getSubject();
    if (subject == null || subject.isEmpty() || subject.length() > LONGEST_SUBJECT) {
      throw UpstreamProblems.untrusted("it has no sub, or one longer than 255 characters");
    }
    checkNonce(claims, nonce);
    return claims;
  }

  private static SignedJWT signed(String idToken) {
    JWT jwt;
    try {
      jwt = JWTParser.parse(idToken == null ? "" : idToken);
    } catch (ParseException e) {
      throw UpstreamProblems.untrusted("it is not a JWT");
    }
    if (jwt instanceof SignedJWT s) {
      return s;
    }
    throw UpstreamProblems.untrusted(
        "it is not signed (alg " + jwt.getHeader().getAlgorithm() + ")");
  }

  private void verifySignature(SignedJWT jwt) throws IOException {
    List<JWK> candidates = keys.candidates(jwt.getHeader());
    if (candidates.isEmpty()) {
      throw UpstreamProblems.untrusted(
          "the provider has no key "
              + Optional.ofNullable(jwt.getHeader().getKeyID()).map(k -> "'" + k + "' ").orElse("")
              + "for "
              + jwt.getHeader().getAlgorithm());
    }
    for (JWK key : candidates) {
      try {
        if (jwt.verify(verifier(key))) {
          return;
        }
      } catch (JOSEException e) {
        // A key that cannot check this signature is not the signer; try the next.
      }
    }
    throw UpstreamProblems.untrusted("its signature is not the provider's");
  }

  private static JWSVerifier verifier(JWK key) throws JOSEException {
    if (key instanceof RSAKey rsa) {
      return new RSASSAVerifier(rsa.toRSAPublicKey());
    }
    if (key instanceof ECKey ec) {
      return new ECDSAVerifier(ec.toECPublicKey());
    }
    throw new JOSEException("not a key of the allowed algorithms");
  }

  private void checkIssuerAndAudience(JWTClaimsSet claims) {
    if (!issuer.equals(claims.getIssuer())) {
      throw UpstreamProblems.untrusted("its iss is not " + issuer);
    }
    List<String> audience = claims.getAudience();
    if (!audience.contains(clientId)) {
      throw UpstreamProblems.untrusted("its aud does not hold this server's client id");
    }
    Object azp = claims.getClaim("azp");
    if ((azp != null || audience.size() > 1) && !clientId.equals(azp)) {
      throw UpstreamProblems.untrusted(
          azp == null ? "it has several audiences and no azp" : "its azp is another client's");
    }
  }

  private void checkTimes(JWTClaimsSet claims) {
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    Date iat = claims.getIssueTime();
    if (exp == null || iat == null) {
      throw UpstreamProblems.untrusted("it has no exp or no iat");
    }
    if (!now.isBefore(exp.toInstant().plus(skew))) {
      throw UpstreamProblems.untrusted("it has expired (exp " + exp.toInstant() + ")");
    }
    if (iat.toInstant().isAfter(now.plus(skew))) {
      throw UpstreamProblems.untrusted("it was issued in the future (iat " + iat.toInstant() + ")");
    }
  }

  private void checkNonce(JWTClaimsSet claims, String expected) {
    Object nonce = claims.getClaim("nonce");
    if (!(nonce instanceof String n)) {
      throw UpstreamProblems.untrusted("it has no nonce");
    }
    if (!MessageDigest.isEqual(
        n.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
      throw UpstreamProblems.untrusted("its nonce is not this sign-in's");
    }
    if (!nonces.firstUse(n)) {
      throw UpstreamProblems.untrusted("its nonce has been used before");
    }
  }
}
