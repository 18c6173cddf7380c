package io.devicelogin.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.devicelogin.client.testing.ManualClock;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.protocol.OAuthProblem;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The ID token check of OpenID Connect Core §3.1.3.7, one rule a test: each token below breaks one
 * rule and is refused with that rule named; the keys are nimbus-generated, the clock is moved by
 * hand.
 */
class IdTokenCheckTest {
  private static final String ISSUER = "https://login.corp.example";
  private static final String CLIENT = "devicelogin";
  private static final String NONCE = "n-0S6_WzA2Mj";

  private final ManualClock clock = ManualClock.atEpochOf2026();
  private final RSAKey rsa = rsaKey("k1");
  private final AtomicInteger fetches = new AtomicInteger();
  private final List<JWK> published = new ArrayList<>(List.of(rsa.toPublicJWK()));
  private final IdTokenCheck check =
      new IdTokenCheck(
          ISSUER,
          CLIENT,
          new UpstreamKeys(
              () -> {
                fetches.incrementAndGet();
                return new JWKSet(List.copyOf(published));
              },
              clock),
          new UsedNonces(clock, Duration.ofMinutes(15)),
          clock,
          Defaults.UPSTREAM_CLOCK_SKEW);

  @Test
  void acceptsATokenThatPassesEveryCheck() throws Exception {
    JWTClaimsSet claims = check.check(rs256(rsa, c -> {}), NONCE);

    assertThat(claims.getSubject()).isEqualTo("248289761001");
  }

  @Test
  void acceptsAnEs256Token() throws Exception {
    ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec1").generate();
    published.add(ec.toPublicJWK());
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec1").build(), claims(c -> {}));
    jwt.sign(new ECDSASigner(ec));

    assertThat(check.check(jwt.serialize(), NONCE).getSubject()).isEqualTo("248289761001");
  }

  @Test
  void refusesAnotherIssuer() {
    assertRefused(rs256(rsa, c -> c.issuer("https://evil.example")), "iss");
  }

  @Test
  void refusesAnIssuerThatDiffersOnlyByATrailingSlash() {
    assertRefused(rs256(rsa, c -> c.issuer(ISSUER + "/")), "iss");
  }

  @Test
  void refusesATokenForAnotherAudience() {
    assertRefused(rs256(rsa, c -> c.audience("someone-else")), "aud");
  }

  @Test
  void refusesAnAzpOfAnotherClient() {
    assertRefused(rs256(rsa, c -> c.audience(List.of(CLIENT, "api")).claim("azp", "api")), "azp");
  }

  @Test
  void refusesSeveralAudiencesWithoutAzp() {
    assertRefused(rs256(rsa, c -> c.audience(List.of(CLIENT, "api"))), "azp");
  }

  @Test
  void acceptsSeveralAudiencesWhenAzpIsOurs() throws Exception {
    String token = rs256(rsa, c -> c.audience(List.of(CLIENT, "api")).claim("azp", CLIENT));

    assertThat(check.check(token, NONCE).getSubject()).isEqualTo("248289761001");
  }

  @Test
  void refusesAnExpiredTokenPastTheSkew() {
    String token = rs256(rsa, c -> {});
    clock.advance(Duration.ofMinutes(5).plus(Defaults.UPSTREAM_CLOCK_SKEW));

    assertRefused(token, "expired");
  }

  @Test
  void acceptsATokenJustExpiredWithinTheSkew() throws Exception {
    String token = rs256(rsa, c -> {});
    clock.advance(Duration.ofMinutes(5).plusSeconds(30));

    assertThat(check.check(token, NONCE).getSubject()).isEqualTo("248289761001");
  }

  @Test
  void refusesATokenIssuedInTheFuture() {
    Instant later = clock.instant().plus(Defaults.UPSTREAM_CLOCK_SKEW).plusSeconds(5);
    assertRefused(
        rs256(
            rsa,
            c -> c.issueTime(Date.from(later)).expirationTime(Date.from(later.plusSeconds(300)))),
        "future");
  }

  @Test
  void refusesATokenWithoutExp() {
    assertRefused(rs256(rsa, c -> c.expirationTime(null)), "exp");
  }

  @Test
  void refusesABadSignature() {
    // Signed by another key that claims the published key's id.
    assertRefused(rs256(rsaKey("k1"), c -> {}), "signature");
  }

  @Test
  void refusesAlgNone() {
    String token = new PlainJWT(claims(c -> {})).serialize();

    assertRefused(token, "not signed");
  }

  @Test
  void refusesHs256SignedWithThePublishedPublicKeyAsTheSecret() throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims(c -> {}));
    jwt.sign(new MACSigner(rsa.toRSAPublicKey().getEncoded()));

    assertRefused(jwt.serialize(), "HS256");
  }

  @Test
  void refusesAMissingNonce() {
    assertRefused(rs256(rsa, c -> c.claim("nonce", null)), "no nonce");
  }

  @Test
  void refusesTheNonceOfAnotherSignIn() {
    assertRefused(rs256(rsa, c -> c.claim("nonce", "another")), "nonce");
  }

  @Test
  void refusesAReplayedNonce() throws Exception {
    check.check(rs256(rsa, c -> {}), NONCE);

    assertRefused(rs256(rsa, c -> {}), "used before");
  }

  @Test
  void refusesATokenWithoutSubject() {
    assertRefused(rs256(rsa, c -> c.subject(null)), "sub");
  }

  @Test
  void fetchesTheKeysAgainForAnUnknownKidAndAcceptsTheRotatedKey() throws Exception {
    check.check(rs256(rsa, c -> {}), NONCE);
    RSAKey rotated = rsaKey("k2");
    published.add(rotated.toPublicJWK());
    clock.advance(Defaults.UPSTREAM_JWKS_REFETCH_EVERY);

    JWTClaimsSet claims = check.check(rs256(rotated, c -> c.claim("nonce", "second")), "second");

    assertThat(claims.getSubject()).isEqualTo("248289761001");
    assertThat(fetches).hasValue(2);
  }

  @Test
  void refusesAKidStillUnknownAfterFetchingAgain() {
    assertRefused(rs256(rsaKey("k9"), c -> {}), "no key 'k9'");
    assertThat(fetches).hasValue(1);
    clock.advance(Defaults.UPSTREAM_JWKS_REFETCH_EVERY);

    assertRefused(rs256(rsaKey("k9"), c -> {}), "no key 'k9'");
    assertThat(fetches).as("one more fetch, then the refusal").hasValue(2);
  }

  @Test
  void unknownKidsDoNotFetchTheKeysMoreThanOnceInTheInterval() throws Exception {
    check.check(rs256(rsa, c -> {}), NONCE);
    for (int i = 0; i < 5; i++) {
      String kid = "made-up-" + i;
      assertRefused(rs256(rsaKey(kid), c -> c.claim("nonce", "n" + kid)), "no key");
    }

    assertThat(fetches).hasValue(1);
  }

  @Test
  void keysThatCannotBeFetchedAreAnIoFailureNotARefusalOfTheToken() {
    IdTokenCheck unreachable =
        new IdTokenCheck(
            ISSUER,
            CLIENT,
            new UpstreamKeys(
                () -> {
                  throw new IOException("jwks did not answer");
                },
                clock),
            new UsedNonces(clock, Duration.ofMinutes(15)),
            clock,
            Defaults.UPSTREAM_CLOCK_SKEW);

    assertThatThrownBy(() -> unreachable.check(rs256(rsa, c -> {}), NONCE))
        .isInstanceOf(IOException.class);
  }

  private void assertRefused(String token, String rule) {
    assertThatThrownBy(() -> check.check(token, NONCE))
        .isInstanceOf(OAuthProblem.class)
        .hasMessageContaining(rule);
  }

  private JWTClaimsSet claims(Consumer<JWTClaimsSet.Builder> change) {
    Instant now = clock.instant();
    JWTClaimsSet.Builder b =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject("248289761001")
            .audience(CLIENT)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
            .claim("nonce", NONCE);
    change.accept(b);
    return b.build();
  }

  private String rs256(RSAKey key, Consumer<JWTClaimsSet.Builder> change) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
              claims(change));
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RSAKey rsaKey(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
