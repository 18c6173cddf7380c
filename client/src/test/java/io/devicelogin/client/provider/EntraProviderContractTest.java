package io.devicelogin.client.provider;

import static io.devicelogin.client.provider.ContractFixture.FIVE_SECONDS_PADDED;
import static io.devicelogin.client.provider.ContractFixture.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.Cancellation;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.ExpiredTokenException;
import io.devicelogin.client.OAuthErrorException;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.TokenType;
import io.devicelogin.client.flow.PollingEngine;
import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.client.testing.RecordedRequest;
import io.devicelogin.client.testing.Reply;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Microsoft Entra ID as documented in "Microsoft identity platform and the OAuth 2.0 device
 * authorization grant flow": tenant in the path, a {@code message} in the code response, no {@code
 * verification_uri_complete}, and HTTP 400 errors carrying {@code error_codes}, {@code trace_id},
 * {@code correlation_id}, {@code timestamp} and {@code error_uri} beside the RFC members.
 */
@ExtendWith(NoSecretsInOutput.class)
class EntraProviderContractTest {
  private static final String TENANT = "organizations";
  private static final String DEVICE_PATH = "/" + TENANT + "/oauth2/v2.0/devicecode";
  private static final String TOKEN_PATH = "/" + TENANT + "/oauth2/v2.0/token";
  private static final String CLIENT_ID = "0c5e6c51-2d4e-4a61-9a3f-6f3f0b7d1e42";
  private static final String USER_CODE = "F7K2LMNPQ";

  private final ContractFixture fixture = new ContractFixture();
  private final String deviceCode = IssuedSecrets.fresh("entra-device-");

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void entraPendingErrorsWithErrorCodesAndTraceIdsKeepPollingUntilTokens() {
    String accessToken = IssuedSecrets.fresh("eyJ0eXAiOiJKV1Qi.");
    String refreshToken = IssuedSecrets.fresh("entra-refresh-");
    String idToken = IssuedSecrets.fresh("eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.");
    answerDeviceCode(900, 5);
    fixture.server.onSequence(
        TOKEN_PATH,
        error(
            "authorization_pending",
            70016,
            "OAuth 2.0 device flow error. Authorization is pending. Continue polling."),
        error(
            "authorization_pending",
            70016,
            "OAuth 2.0 device flow error. Authorization is pending. Continue polling."),
        Reply.json(
            200,
            object()
                .put("token_type", "Bearer")
                .put("scope", "User.Read profile openid email")
                .put("expires_in", 3599)
                .put("access_token", accessToken)
                .put("refresh_token", refreshToken)
                .put("id_token", idToken)));
    DeviceLogin login =
        fixture
            .login(Providers.entra(fixture.base(), TENANT), CLIENT_ID)
            .scope("User.Read", "openid", "profile", "email", "offline_access")
            .build();

    DeviceAuthorization authorization = login.start();
    TokenSet tokens = login.await(authorization);

    assertThat(authorization.verificationUri())
        .isEqualTo(URI.create("https://microsoft.com/devicelogin"));
    assertThat(authorization.verificationUriComplete()).isEmpty();
    assertThat(authorization.expiresAt()).isEqualTo(fixture.start.plus(Duration.ofMinutes(15)));

    RecordedRequest codeRequest = fixture.onlyFormPost(DEVICE_PATH);
    assertThat(codeRequest.form())
        .isEqualTo(
            Map.of(
                "client_id", List.of(CLIENT_ID),
                "scope", List.of("User.Read openid profile email offline_access")));
    List<RecordedRequest> polls = fixture.server.requests(TOKEN_PATH);
    assertThat(polls).hasSize(3);
    for (RecordedRequest poll : polls) {
      ContractFixture.assertFormPost(poll);
      assertThat(poll.form())
          .isEqualTo(
              Map.of(
                  "grant_type", List.of(PollingEngine.DEVICE_CODE_GRANT),
                  "device_code", List.of(deviceCode),
                  "client_id", List.of(CLIENT_ID)));
    }
    assertThat(fixture.server.gaps(TOKEN_PATH)).containsOnly(FIVE_SECONDS_PADDED);

    assertThat(tokens.accessToken().revealForTransmission()).isEqualTo(accessToken);
    assertThat(tokens.refreshToken().map(s -> s.revealForTransmission())).contains(refreshToken);
    assertThat(tokens.idToken().map(s -> s.revealForTransmission())).contains(idToken);
    assertThat(tokens.tokenType()).isEqualTo(TokenType.BEARER);
    assertThat(tokens.expiresAt()).contains(polls.get(2).at().plusSeconds(3599));
    assertThat(tokens.scope())
        .as("the grant as Entra states it: offline_access is not echoed")
        .containsExactly("User.Read", "profile", "openid", "email");
  }

  @Test
  void entraAuthorizationDeclinedStopsPollingAtOnce() {
    answerDeviceCode(900, 5);
    fixture.server.onSequence(
        TOKEN_PATH,
        error("authorization_pending", 70016, "Authorization is pending. Continue polling."),
        error("authorization_declined", 70000, "The user declined the authorization request."));
    DeviceLogin login =
        fixture
            .login(Providers.entra(fixture.base(), TENANT), CLIENT_ID)
            .scope("User.Read")
            .build();
    DeviceAuthorization authorization = login.start();

    OAuthErrorException declined =
        catchThrowableOfType(OAuthErrorException.class, () -> login.await(authorization));

    // Entra documents `authorization_declined` where RFC 8628 says `access_denied`. Whatever type
    // reports it, polling must stop at once.
    assertThat(declined.code()).isEqualTo("authorization_declined");
    assertThat(declined.httpStatus()).isEqualTo(400);
    assertThat(fixture.server.requests(TOKEN_PATH)).hasSize(2);
  }

  @Test
  void entraExpiredTokenAnswerEndsTheLoginAsExpired() {
    answerDeviceCode(900, 5);
    fixture.server.onSequence(
        TOKEN_PATH,
        error("authorization_pending", 70016, "Authorization is pending. Continue polling."),
        error("expired_token", 70019, "Verification code expired."));
    DeviceLogin login =
        fixture
            .login(Providers.entra(fixture.base(), TENANT), CLIENT_ID)
            .scope("User.Read")
            .build();
    DeviceAuthorization authorization = login.start();

    ExpiredTokenException expired =
        catchThrowableOfType(ExpiredTokenException.class, () -> login.await(authorization));

    assertThat(expired.httpStatus()).isEqualTo(400);
    assertThat(fixture.server.requests(TOKEN_PATH)).hasSize(2);
  }

  @Test
  void entraBadVerificationCodeStopsPolling() {
    answerDeviceCode(900, 5);
    fixture.server.on(
        TOKEN_PATH, request -> error("bad_verification_code", 70018, "Invalid verification code."));
    DeviceLogin login =
        fixture
            .login(Providers.entra(fixture.base(), TENANT), CLIENT_ID)
            .scope("User.Read")
            .build();
    DeviceAuthorization authorization = login.start();

    assertThatThrownBy(() -> login.await(authorization))
        .isInstanceOfSatisfying(
            OAuthErrorException.class,
            e -> assertThat(e.code()).isEqualTo("bad_verification_code"));
    assertThat(fixture.server.requests(TOKEN_PATH)).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "common",
        "organizations",
        "consumers",
        "72f988bf-86f1-41af-91ab-2d7cd011db47",
        "contoso.onmicrosoft.com",
        "login.contoso.com"
      })
  void entraTenantMayBeAnAliasAGuidOrADomain(String tenant) {
    AuthorizationServerMetadata metadata =
        Providers.entra(tenant).resolve(null, Cancellation.none());

    assertThat(metadata.deviceAuthorizationEndpoint())
        .contains(
            URI.create("https://login.microsoftonline.com/" + tenant + "/oauth2/v2.0/devicecode"));
    assertThat(metadata.tokenEndpoint())
        .isEqualTo(
            URI.create("https://login.microsoftonline.com/" + tenant + "/oauth2/v2.0/token"));
    assertThat(metadata.jwksUri())
        .contains(
            URI.create("https://login.microsoftonline.com/" + tenant + "/discovery/v2.0/keys"));
    assertThat(metadata.revocationEndpoint()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".",
        "..",
        "../common",
        "common/oauth2",
        "common?x=1",
        "common#frag",
        "%2e%2e",
        "con toso",
        "-common",
        "common.",
        "contoso..com",
        "evil.com\\common",
        "commön"
      })
  void entraTenantThatCouldLeaveItsPathSegmentIsRefused(String tenant) {
    assertThatThrownBy(() -> Providers.entra(tenant))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tenant");
  }

  @Test
  void entraNationalCloudAuthorityWithTrailingSlashGivesCleanPaths() {
    AuthorizationServerMetadata metadata =
        Providers.entra(URI.create("https://login.microsoftonline.us/"), "common")
            .resolve(null, Cancellation.none());

    assertThat(metadata.tokenEndpoint())
        .isEqualTo(URI.create("https://login.microsoftonline.us/common/oauth2/v2.0/token"));
    assertThat(Providers.entra("common").name()).isEqualTo("entra");
  }

  // --- the fake Entra --------------------------------------------------------------------------

  private void answerDeviceCode(int expiresIn, int interval) {
    fixture.server.on(
        DEVICE_PATH,
        request ->
            Reply.json(
                200,
                object()
                    .put("user_code", USER_CODE)
                    .put("device_code", deviceCode)
                    .put("verification_uri", "https://microsoft.com/devicelogin")
                    .put("expires_in", expiresIn)
                    .put("interval", interval)
                    .put(
                        "message",
                        "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code "
                            + USER_CODE
                            + " to authenticate.")));
  }

  /** An Entra error: HTTP 400, the RFC members and Entra's own. */
  private static Reply error(String code, int aadsts, String text) {
    String traceId = "0a774853-298d-4ee0-909c-24f0ba4b0500";
    String correlationId = "3dde1449-5192-4ba3-9dfc-8ff34ecbc3ca";
    String timestamp = "2026-01-01 00:00:05Z";
    ObjectNode body =
        object()
            .put("error", code)
            .put(
                "error_description",
                "AADSTS"
                    + aadsts
                    + ": "
                    + text
                    + "\r\nTrace ID: "
                    + traceId
                    + "\r\nCorrelation ID: "
                    + correlationId
                    + "\r\nTimestamp: "
                    + timestamp);
    body.putArray("error_codes").add(aadsts);
    body.put("timestamp", timestamp)
        .put("trace_id", traceId)
        .put("correlation_id", correlationId)
        .put("error_uri", "https://login.microsoftonline.com/error?code=" + aadsts);
    return Reply.json(400, body);
  }
}
