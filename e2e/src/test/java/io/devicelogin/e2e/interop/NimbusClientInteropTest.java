package io.devicelogin.e2e.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationGrantError;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.oauth2.sdk.token.Tokens;
import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Person;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A third-party client, the Nimbus OAuth 2.0 SDK, runs the device flow (RFC 8628) against our
 * server: it reads the metadata (RFC 8414), asks for a device authorization, polls with its own
 * loop that honours {@code interval} and {@code slow_down}, receives tokens once the person
 * approves through the pages, verifies the access token (RFC 9068) against {@code /jwks} with
 * Nimbus JOSE, refreshes, and revokes. Every request and every parse on the client's side is the
 * SDK's; the server is judged only by what the SDK makes of its answers.
 *
 * <p>The server runs on a {@link io.devicelogin.client.testing.ManualClock}: the loop moves that
 * clock by the interval instead of sleeping, since the server times polls by its own clock.
 */
@ExtendWith(NoSecretsInOutput.class)
class NimbusClientInteropTest {
  private static final ClientID CLIENT = new ClientID("devicelogin-cli");
  private static final Scope SCOPE = new Scope("openid", "profile", "offline_access");

  private TestServer server;
  private AuthorizationServerMetadata metadata;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
    // Fetches /.well-known/oauth-authorization-server and checks that its issuer is the one asked
    // for.
    metadata = AuthorizationServerMetadata.resolve(new Issuer(server.issuer()));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theSdkCompletesTheDeviceFlowRefreshesVerifiesAndRevokes() throws Exception {
    assertThat(metadata.getIssuer().getValue()).isEqualTo(server.issuer());
    assertThat(metadata.getDeviceAuthorizationEndpointURI()).isNotNull();
    assertThat(metadata.getTokenEndpointURI()).isNotNull();
    assertThat(metadata.getRevocationEndpointURI()).isNotNull();
    assertThat(metadata.getJWKSetURI()).isNotNull();
    assertThat(metadata.getGrantTypes())
        .extracting(Object::toString)
        .contains("urn:ietf:params:oauth:grant-type:device_code", "refresh_token");

    DeviceAuthorizationSuccessResponse device = authorize();
    assertThat(device.getUserCode().getValue()).isNotBlank();
    assertThat(device.getVerificationURI()).isNotNull();
    assertThat(device.getVerificationURIComplete()).isNotNull();
    assertThat(device.getLifetime()).isPositive();
    assertThat(device.getInterval()).isPositive();

    // Before anyone approves: the SDK reads authorization_pending; polling again at once,
    // slow_down.
    long interval = device.getInterval();
    server.clock.advance(Duration.ofSeconds(interval));
    assertThat(pollOnce(device).toErrorResponse().getErrorObject())
        .isEqualTo(DeviceAuthorizationGrantError.AUTHORIZATION_PENDING);
    ErrorObject tooSoon = pollOnce(device).toErrorResponse().getErrorObject();
    assertThat(tooSoon).isEqualTo(DeviceAuthorizationGrantError.SLOW_DOWN);
    assertThat(tooSoon.getHTTPStatusCode()).isEqualTo(400);
    interval += 5; // RFC 8628 §3.5: every later poll waits 5 s longer.

    Person.demo(server).approve(device.getUserCode().getValue());

    Tokens tokens = pollUntilDone(device, interval).toSuccessResponse().getTokens();
    AccessToken access = register(tokens.getAccessToken());
    RefreshToken refresh = register(tokens.getRefreshToken());
    assertThat(tokens.getBearerAccessToken()).as("a Bearer token").isNotNull();
    assertThat(access.getLifetime()).isPositive();
    assertThat(access.getScope()).isEqualTo(SCOPE);
    assertThat(refresh).as("offline_access brings a refresh token").isNotNull();

    JWTClaimsSet claims = verify(access);
    assertThat(claims.getSubject()).isEqualTo(server.demoUser().id());
    assertThat(claims.getStringClaim("client_id")).isEqualTo(CLIENT.getValue());
    assertThat(Scope.parse(claims.getStringClaim("scope"))).isEqualTo(SCOPE);
    assertThat(claims.getExpirationTime().toInstant())
        .isEqualTo(
            server
                .clock
                .instant()
                .plusSeconds(access.getLifetime())
                .truncatedTo(ChronoUnit.SECONDS));
    assertThat(server.context().tokens().validAccessToken(Secret.of(access.getValue())))
        .isPresent();

    // Refresh with the SDK: a new access token and, by rotation, a new refresh token.
    server.clock.advance(Duration.ofMinutes(1));
    TokenResponse refreshed =
        TokenResponse.parse(
            new TokenRequest(metadata.getTokenEndpointURI(), CLIENT, new RefreshTokenGrant(refresh))
                .toHTTPRequest()
                .send());
    assertThat(refreshed.indicatesSuccess()).as(describe(refreshed)).isTrue();
    Tokens second = refreshed.toSuccessResponse().getTokens();
    AccessToken access2 = register(second.getAccessToken());
    RefreshToken refresh2 = register(second.getRefreshToken());
    assertThat(refresh2).isNotNull();
    assertThat(refresh2.getValue()).isNotEqualTo(refresh.getValue());
    assertThat(access2.getValue()).isNotEqualTo(access.getValue());
    assertThat(verify(access2).getSubject()).isEqualTo(server.demoUser().id());

    // Revoke with the SDK (RFC 7009): 200, and then the access token is no longer valid. Done
    // before
    // any replay of the old refresh token, whose reuse detection would revoke the grant by itself.
    assertThat(server.context().tokens().validAccessToken(Secret.of(access2.getValue())))
        .isPresent();
    assertThat(server.oauth().active(refresh2.getValue())).isTrue();
    HTTPResponse revoked =
        new TokenRevocationRequest(metadata.getRevocationEndpointURI(), CLIENT, refresh2)
            .toHTTPRequest()
            .send();
    assertThat(revoked.getStatusCode()).as(revoked.getBody()).isEqualTo(200);
    assertThat(server.context().tokens().validAccessToken(Secret.of(access2.getValue()))).isEmpty();
    assertThat(server.oauth().active(access2.getValue())).isFalse();
    assertThat(server.oauth().active(refresh2.getValue())).isFalse();
    TokenResponse afterRevoke =
        TokenResponse.parse(
            new TokenRequest(
                    metadata.getTokenEndpointURI(), CLIENT, new RefreshTokenGrant(refresh2))
                .toHTTPRequest()
                .send());
    assertThat(afterRevoke.toErrorResponse().getErrorObject()).isEqualTo(OAuth2Error.INVALID_GRANT);
    TokenResponse replay =
        TokenResponse.parse(
            new TokenRequest(metadata.getTokenEndpointURI(), CLIENT, new RefreshTokenGrant(refresh))
                .toHTTPRequest()
                .send());
    assertThat(replay.toErrorResponse().getErrorObject()).isEqualTo(OAuth2Error.INVALID_GRANT);
  }

  @Test
  void theSdkReadsAuthorizationPendingThenAccessDenied() throws Exception {
    DeviceAuthorizationSuccessResponse device = authorize();

    server.clock.advance(Duration.ofSeconds(device.getInterval()));
    TokenResponse pending = pollOnce(device);
    assertThat(pending.indicatesSuccess()).isFalse();
    ErrorObject error = pending.toErrorResponse().getErrorObject();
    assertThat(error).isEqualTo(DeviceAuthorizationGrantError.AUTHORIZATION_PENDING);
    assertThat(error.getCode()).isEqualTo("authorization_pending");
    assertThat(error.getHTTPStatusCode()).isEqualTo(400);

    Person.demo(server).deny(device.getUserCode().getValue());

    TokenResponse denied = pollUntilDone(device, device.getInterval());
    assertThat(denied.indicatesSuccess()).isFalse();
    assertThat(denied.toErrorResponse().getErrorObject()).isEqualTo(OAuth2Error.ACCESS_DENIED);
    assertThat(denied.toErrorResponse().getErrorObject().getHTTPStatusCode()).isEqualTo(400);
  }

  // --- the client's side, all through the SDK
  // ------------------------------------------------------

  private DeviceAuthorizationSuccessResponse authorize() throws Exception {
    HTTPResponse http =
        new DeviceAuthorizationRequest(metadata.getDeviceAuthorizationEndpointURI(), CLIENT, SCOPE)
            .toHTTPRequest()
            .send();
    DeviceAuthorizationResponse response = DeviceAuthorizationResponse.parse(http);
    assertThat(response.indicatesSuccess())
        .as("device authorization: HTTP %s", http.getStatusCode())
        .isTrue();
    DeviceAuthorizationSuccessResponse success = response.toSuccessResponse();
    IssuedSecrets.register(success.getDeviceCode().getValue());
    return success;
  }

  private TokenResponse pollOnce(DeviceAuthorizationSuccessResponse device) throws Exception {
    TokenResponse response =
        TokenResponse.parse(
            new TokenRequest(
                    metadata.getTokenEndpointURI(),
                    CLIENT,
                    new DeviceCodeGrant(device.getDeviceCode()))
                .toHTTPRequest()
                .send());
    if (response.indicatesSuccess()) {
      register(response.toSuccessResponse().getTokens().getAccessToken());
      register(response.toSuccessResponse().getTokens().getRefreshToken());
    }
    return response;
  }

  /**
   * The client's own polling loop: waits {@code interval} (on the server's clock) before each poll,
   * adds 5 s on {@code slow_down}, goes on while {@code authorization_pending}, and returns the
   * first other answer.
   */
  private TokenResponse pollUntilDone(DeviceAuthorizationSuccessResponse device, long interval)
      throws Exception {
    List<String> seen = new ArrayList<>();
    for (int polls = 0; polls < 20; polls++) {
      server.clock.advance(Duration.ofSeconds(interval));
      TokenResponse response = pollOnce(device);
      if (response.indicatesSuccess()) {
        return response;
      }
      ErrorObject error = response.toErrorResponse().getErrorObject();
      seen.add(error.getCode());
      if (DeviceAuthorizationGrantError.SLOW_DOWN.equals(error)) {
        interval += 5;
      } else if (!DeviceAuthorizationGrantError.AUTHORIZATION_PENDING.equals(error)) {
        return response;
      }
    }
    throw new AssertionError("no answer but pending after 20 polls: " + seen);
  }

  /** Verifies the JWT access token with Nimbus JOSE: signature against /jwks, typ, and claims. */
  private JWTClaimsSet verify(AccessToken token) throws Exception {
    JWKSource<SecurityContext> keys =
        JWKSourceBuilder.create(metadata.getJWKSetURI().toURL()).retrying(false).build();
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, keys));
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            new JWTClaimsSet.Builder()
                .issuer(server.issuer())
                .claim("client_id", CLIENT.getValue())
                .build(),
            new HashSet<>(Set.of("sub", "exp", "iat", "jti", "scope", "client_id", "aud"))) {
          @Override
          protected Date currentTime() {
            return Date.from(server.clock.instant()); // the server's time, not this machine's
          }
        });
    return processor.process(token.getValue(), null);
  }

  private static <T extends Token> T register(T token) {
    if (token != null) {
      IssuedSecrets.register(token.getValue());
    }
    return token;
  }

  private static String describe(TokenResponse response) {
    return response.indicatesSuccess()
        ? "success"
        : "error " + response.toErrorResponse().getErrorObject().getCode();
  }
}
