package io.devicelogin.server.grant;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.store.SigningKeyStore;
import io.devicelogin.server.testing.Backend;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.DeviceCode;
import io.devicelogin.server.testing.OAuthCalls.Response;
import io.devicelogin.server.testing.OAuthCalls.Tokens;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Access tokens are RFC 9068 JWTs ({@code typ at+jwt}, ES256) with {@code sub}, {@code client_id},
 * {@code scope}, {@code jti}, {@code iss}, {@code exp} and the grant id {@code gid}, verifiable
 * with the keys served at {@code /jwks}; the signing key is persisted, so tokens survive a restart.
 */
@ParameterizedClass
@EnumSource(Backend.class)
@ExtendWith(NoSecretsInOutput.class)
class AccessTokenTest {
  @Parameter Backend backend;

  private static JWKSet jwks(OAuthCalls oauth) throws Exception {
    Response r = oauth.get("/jwks");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/jwk-set+json"));
    return JWKSet.parse(r.body());
  }

  @Test
  void accessTokensAreEs256JwtsOfRfc9068VerifiableWithThePublishedKeys() throws Exception {
    try (TestServer server = TestServer.start(backend)) {
      OAuthCalls oauth = server.oauth();
      DeviceCode code = oauth.deviceCode(TestClients.CLI, "openid email offline_access");
      String grantId = server.approve(code.userCode());
      Instant issuedAt = server.clock.instant();
      Tokens tokens = OAuthCalls.tokens(oauth.poll(code));

      SignedJWT jwt = SignedJWT.parse(tokens.accessToken());
      JWSHeader header = jwt.getHeader();
      assertThat(header.getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
      assertThat(header.getType()).isEqualTo(new JOSEObjectType("at+jwt"));
      JWK key = jwks(oauth).getKeyByKeyId(header.getKeyID());
      assertThat(key).as("the token's kid is published").isNotNull();
      assertThat(jwt.verify(new ECDSAVerifier(key.toECKey()))).isTrue();

      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      assertThat(claims.getIssuer()).isEqualTo(server.issuer());
      assertThat(claims.getSubject()).isEqualTo(server.demoUser().id());
      assertThat(claims.getStringClaim("client_id")).isEqualTo(TestClients.CLI);
      assertThat(claims.getStringClaim("scope").split(" "))
          .containsExactlyInAnyOrder("openid", "email", "offline_access");
      assertThat(claims.getStringClaim("gid")).isEqualTo(grantId);
      assertThat(claims.getJWTID()).isNotBlank();
      assertThat(claims.getIssueTime().toInstant()).isEqualTo(issuedAt);
      assertThat(claims.getExpirationTime().toInstant())
          .isEqualTo(issuedAt.plus(Duration.ofMinutes(10)));
      assertThat(claims.getAudience()).isNotEmpty();

      Tokens refreshed = OAuthCalls.tokens(oauth.refresh(tokens));
      assertThat(SignedJWT.parse(refreshed.accessToken()).getJWTClaimsSet().getJWTID())
          .isNotEqualTo(claims.getJWTID());
    }
  }

  @Test
  void jwksPublishesOnlyPublicP256SigningKeys() throws Exception {
    try (TestServer server = TestServer.start(backend)) {
      JWKSet set = jwks(server.oauth());
      assertThat(set.getKeys()).isNotEmpty();
      for (JWK key : set.getKeys()) {
        assertThat(key.isPrivate()).isFalse();
        assertThat(key.toECKey().getCurve()).isEqualTo(Curve.P_256);
        assertThat(key.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(key.getKeyID()).isNotBlank();
      }
      assertThat(server.oauth().get("/jwks").body()).doesNotContain("\"d\"");
    }
  }

  @Test
  void theSigningKeySurvivesARestartAndSoDoTheTokensItSigned() throws Exception {
    TestServer before = TestServer.start(backend);
    Tokens tokens = before.oauth().signIn();
    List<JWK> keysBefore = jwks(before.oauth()).getKeys();
    try (TestServer after = before.restart()) {
      assertThat(jwks(after.oauth()).getKeys()).isEqualTo(keysBefore);
      assertThat(after.oauth().active(tokens.accessToken())).isTrue();
      assertThat(after.oauth().userinfo(tokens.accessToken()).status()).isEqualTo(200);
      Tokens refreshed = OAuthCalls.tokens(after.oauth().refresh(tokens));
      JWK key =
          jwks(after.oauth())
              .getKeyByKeyId(SignedJWT.parse(refreshed.accessToken()).getHeader().getKeyID());
      assertThat(SignedJWT.parse(refreshed.accessToken()).verify(new ECDSAVerifier(key.toECKey())))
          .isTrue();
    }
  }

  @Test
  void aTokenSignedByAnyOtherKeyOrWithoutSignatureIsRefused() throws Exception {
    try (TestServer server = TestServer.start(backend)) {
      OAuthCalls oauth = server.oauth();
      Tokens tokens = oauth.signIn();
      SignedJWT genuine = SignedJWT.parse(tokens.accessToken());
      // The same header (kid included) and claims, signed with a key of the attacker's.
      ECKey attacker =
          new ECKeyGenerator(Curve.P_256).keyID(genuine.getHeader().getKeyID()).generate();
      SignedJWT forged = new SignedJWT(genuine.getHeader(), genuine.getJWTClaimsSet());
      forged.sign(new ECDSASigner(attacker));
      String forgedToken = IssuedSecrets.register(forged.serialize());
      String[] parts = tokens.accessToken().split("\\.");
      String unsigned =
          IssuedSecrets.register(
              Base64.getUrlEncoder()
                      .withoutPadding()
                      .encodeToString(
                          "{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8))
                  + "."
                  + parts[1]
                  + ".");
      for (String bad :
          List.of(forgedToken, unsigned, parts[0] + "." + parts[1] + "." + parts[2].substring(3))) {
        assertThat(oauth.active(bad)).isFalse();
        assertThat(oauth.userinfo(bad).status()).isEqualTo(401);
      }
      assertThat(oauth.active(tokens.accessToken())).isTrue();
    }
  }

  @Test
  void anAccessTokenExpiresAfterItsClientsLifetime() throws Exception {
    try (TestServer server = TestServer.start(backend)) {
      OAuthCalls oauth = server.oauth();
      Tokens quick = oauth.signIn(TestClients.QUICK_CLI, "openid offline_access");
      Tokens normal = oauth.signIn();
      assertThat(quick.expiresIn()).isEqualTo(60);
      assertThat(SignedJWT.parse(quick.accessToken()).getJWTClaimsSet().getExpirationTime())
          .isEqualTo(Date.from(server.clock.instant().plusSeconds(60)));
      server.clock.advance(Duration.ofSeconds(60));
      assertThat(oauth.active(quick.accessToken())).isFalse();
      assertThat(oauth.active(normal.accessToken())).isTrue();
      server.clock.advance(Duration.ofMinutes(9));
      assertThat(oauth.active(normal.accessToken())).isFalse();
      assertThat(oauth.userinfo(normal.accessToken()).status()).isEqualTo(401);
    }
  }

  /**
   * What someone who copied the signing key out of the database would do: take a genuine token's
   * claims, change them, and sign them with the server's own key.
   */
  private static String forged(
      TestServer server, String genuine, UnaryOperator<JWTClaimsSet.Builder> change)
      throws Exception {
    ECKey stolen = ECKey.parse(new SigningKeyStore(server.jdbc()).active().get(0));
    SignedJWT original = SignedJWT.parse(genuine);
    SignedJWT forged =
        new SignedJWT(
            original.getHeader(),
            change.apply(new JWTClaimsSet.Builder(original.getJWTClaimsSet())).build());
    forged.sign(new ECDSASigner(stolen));
    return IssuedSecrets.register(forged.serialize());
  }

  private static void assertRefused(OAuthCalls oauth, String token) {
    Response userinfo = oauth.userinfo(token);
    assertThat(userinfo.status()).isEqualTo(401);
    assertThat(userinfo.header("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).contains("invalid_token"));
    assertThat(oauth.active(token)).isFalse();
  }

  @Test
  void aTokenSignedWithTheStolenKeyButLongerLivedThanItsClientsPolicyIsRefused() throws Exception {
    try (TestServer server = TestServer.start(backend)) {
      OAuthCalls oauth = server.oauth();
      Tokens tokens = oauth.signIn();
      Instant now = server.clock.instant();
      String tenYears =
          forged(
              server,
              tokens.accessToken(),
              c ->
                  c.jwtID("forged-ten-years")
                      .expirationTime(Date.from(now.plus(Duration.ofDays(3650)))));
      String oneSecondTooLong =
          forged(
              server,
              tokens.accessToken(),
              c ->
                  c.jwtID("forged-a-second-more")
                      .expirationTime(Date.from(now.plus(Duration.ofMinutes(10)).plusSeconds(1))));
      // Signed the same way and within the policy: the key is the server's, only the times differ.
      String withinPolicy = forged(server, tokens.accessToken(), c -> c.jwtID("re-signed"));

      assertRefused(oauth, tenYears);
      assertRefused(oauth, oneSecondTooLong);
      assertThat(oauth.active(withinPolicy)).isTrue();
      assertThat(oauth.userinfo(withinPolicy).status()).isEqualTo(200);
      assertThat(oauth.active(tokens.accessToken())).isTrue();
      assertThat(oauth.userinfo(tokens.accessToken()).status()).isEqualTo(200);
    }
  }

  @Test
  void aTokenIssuedInTheFutureOrWithoutIssueTimesOrForAnUnknownClientIsRefused() throws Exception {
    try (TestServer server = TestServer.start(backend)) {
      OAuthCalls oauth = server.oauth();
      Tokens tokens = oauth.signIn();
      Instant later = server.clock.instant().plus(Duration.ofHours(1));
      List<String> bad =
          List.of(
              forged(
                  server,
                  tokens.accessToken(),
                  c ->
                      c.jwtID("future")
                          .issueTime(Date.from(later))
                          .notBeforeTime(Date.from(later))
                          .expirationTime(Date.from(later.plus(Duration.ofMinutes(10))))),
              forged(server, tokens.accessToken(), c -> c.jwtID("no-iat").issueTime(null)),
              forged(server, tokens.accessToken(), c -> c.jwtID("no-nbf").notBeforeTime(null)),
              forged(
                  server,
                  tokens.accessToken(),
                  c -> c.jwtID("unknown-client").claim("client_id", "nobody-registered-this")));
      for (String token : bad) {
        assertRefused(oauth, token);
      }
      // Within the skew of instances whose clocks differ, a token is still good.
      Instant soon = server.clock.instant().plusSeconds(30);
      String slightlyAhead =
          forged(
              server,
              tokens.accessToken(),
              c ->
                  c.jwtID("clock-ahead")
                      .issueTime(Date.from(soon))
                      .notBeforeTime(Date.from(soon))
                      .expirationTime(Date.from(soon.plus(Duration.ofMinutes(10)))));
      assertThat(oauth.active(slightlyAhead)).isTrue();
    }
  }
}
