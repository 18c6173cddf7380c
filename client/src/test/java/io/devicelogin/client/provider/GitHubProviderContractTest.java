package io.devicelogin.client.provider;

import static io.devicelogin.client.provider.ContractFixture.FIVE_SECONDS_PADDED;
import static io.devicelogin.client.provider.ContractFixture.TEN_SECONDS_PADDED;
import static io.devicelogin.client.provider.ContractFixture.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.AccessDeniedException;
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
import io.devicelogin.client.tokens.RevocationReport;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GitHub's device flow as documented in "Authorizing OAuth apps — Device flow": form-encoded
 * answers unless JSON is asked for, errors with HTTP 200, {@code slow_down} carrying the new {@code
 * interval}, comma-separated granted scopes, no {@code verification_uri_complete}, no revocation.
 */
@ExtendWith(NoSecretsInOutput.class)
class GitHubProviderContractTest {
  private static final String DEVICE_PATH = "/login/device/code";
  private static final String TOKEN_PATH = "/login/oauth/access_token";
  private static final String CLIENT_ID = "Ov23liDeviceLoginTest";
  private static final String USER_CODE = "WDJB-MJHT";

  private final ContractFixture fixture = new ContractFixture();
  private final String deviceCode = IssuedSecrets.fresh("gh-device-");

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void githubLoginSendsSpaceSeparatedScopeAndReadsCommaSeparatedGrant() {
    String accessToken = IssuedSecrets.fresh("gho_");
    answerDeviceCode(900, 5);
    answerPolls(
        pending(),
        pending(),
        object()
            .put("access_token", accessToken)
            .put("token_type", "bearer")
            .put("scope", "repo,read:org"));
    DeviceLogin login =
        fixture
            .login(Providers.github(fixture.base()), CLIENT_ID)
            .scope("repo", "read:org")
            .build();

    DeviceAuthorization authorization = login.start();
    TokenSet tokens = login.await(authorization);

    assertThat(authorization.userCode()).isEqualTo(USER_CODE);
    assertThat(authorization.verificationUri())
        .isEqualTo(URI.create("https://github.com/login/device"));
    assertThat(authorization.verificationUriComplete()).isEmpty();
    assertThat(authorization.interval()).isEqualTo(Duration.ofSeconds(5));

    RecordedRequest codeRequest = fixture.onlyFormPost(DEVICE_PATH);
    assertThat(codeRequest.form())
        .isEqualTo(Map.of("client_id", List.of(CLIENT_ID), "scope", List.of("repo read:org")));

    List<RecordedRequest> polls = fixture.server.requests(TOKEN_PATH);
    assertThat(polls).hasSize(3);
    for (RecordedRequest poll : polls) {
      ContractFixture.assertFormPost(poll);
      assertThat(poll.form())
          .as("the device flow needs no client_secret at GitHub")
          .isEqualTo(
              Map.of(
                  "grant_type", List.of(PollingEngine.DEVICE_CODE_GRANT),
                  "device_code", List.of(deviceCode),
                  "client_id", List.of(CLIENT_ID)));
    }
    assertThat(polls.get(0).at()).isEqualTo(fixture.start.plus(FIVE_SECONDS_PADDED));
    assertThat(fixture.server.gaps(TOKEN_PATH)).containsOnly(FIVE_SECONDS_PADDED);

    assertThat(tokens.accessToken().revealForTransmission()).isEqualTo(accessToken);
    assertThat(tokens.tokenType()).as("GitHub spells it `bearer`").isEqualTo(TokenType.BEARER);
    assertThat(tokens.scope()).containsExactly("repo", "read:org");
    assertThat(tokens.expiresAt()).as("OAuth App tokens do not expire").isEmpty();
    assertThat(tokens.refreshToken()).isEmpty();
  }

  @Test
  void githubSlowDownWithStatus200TakesTheIntervalItSends() {
    answerDeviceCode(900, 5);
    answerPolls(
        pending(),
        slowDown(10),
        pending(),
        // Larger than the previous interval plus 5 s: the server's figure wins.
        slowDown(20),
        object()
            .put("access_token", IssuedSecrets.fresh("gho_"))
            .put("token_type", "bearer")
            .put("scope", "repo"));
    DeviceLogin login =
        fixture.login(Providers.github(fixture.base()), CLIENT_ID).scope("repo").build();

    login.await(login.start());

    assertThat(fixture.server.gaps(TOKEN_PATH))
        .containsExactly(
            FIVE_SECONDS_PADDED, TEN_SECONDS_PADDED, TEN_SECONDS_PADDED, Duration.ofMillis(21_000));
  }

  @Test
  void githubAccessDeniedWithStatus200StopsPollingAtOnce() {
    answerDeviceCode(900, 5);
    answerPolls(pending(), error("access_denied", "The authorization request was denied."));
    DeviceLogin login = fixture.login(Providers.github(fixture.base()), CLIENT_ID).build();
    DeviceAuthorization authorization = login.start();

    AccessDeniedException denied =
        catchThrowableOfType(AccessDeniedException.class, () -> login.await(authorization));

    assertThat(denied.httpStatus()).isEqualTo(200);
    assertThat(denied.code()).isEqualTo("access_denied");
    assertThat(fixture.server.requests(TOKEN_PATH)).hasSize(2);
  }

  @Test
  void githubExpiredTokenWithStatus200EndsTheLoginAsExpired() {
    answerDeviceCode(900, 5);
    answerPolls(pending(), pending(), error("expired_token", "The `device_code` has expired."));
    DeviceLogin login = fixture.login(Providers.github(fixture.base()), CLIENT_ID).build();
    DeviceAuthorization authorization = login.start();

    ExpiredTokenException expired =
        catchThrowableOfType(ExpiredTokenException.class, () -> login.await(authorization));

    assertThat(expired.httpStatus()).isEqualTo(200);
    assertThat(fixture.server.requests(TOKEN_PATH)).hasSize(3);
  }

  @Test
  void githubOwnErrorCodesWithStatus200StopPolling() {
    // GitHub's table also documents `token_expired` in the prose of `expired_token`, and codes of
    // its own. None of them may be taken for "keep polling".
    for (String code :
        List.of(
            "incorrect_device_code",
            "incorrect_client_credentials",
            "unsupported_grant_type",
            "token_expired")) {
      try (ContractFixture local = new ContractFixture()) {
        local.server.on(DEVICE_PATH, request -> negotiated(request, deviceCodeBody(900, 5)));
        local.server.on(
            TOKEN_PATH, request -> negotiated(request, error(code, "GitHub said " + code)));
        DeviceLogin login = local.login(Providers.github(local.base()), CLIENT_ID).build();
        DeviceAuthorization authorization = login.start();

        OAuthErrorException failure =
            catchThrowableOfType(OAuthErrorException.class, () -> login.await(authorization));

        assertThat(failure.code()).isEqualTo(code);
        assertThat(failure.httpStatus()).isEqualTo(200);
        assertThat(local.server.requests(TOKEN_PATH)).as(code).hasSize(1);
      }
    }
  }

  @Test
  void githubDeviceFlowDisabledFailsTheCodeRequestWithoutPolling() {
    fixture.server.on(
        DEVICE_PATH,
        request ->
            negotiated(
                request,
                400,
                error(
                    "device_flow_disabled",
                    "Device Flow must be explicitly enabled for this App")));
    DeviceLogin login = fixture.login(Providers.github(fixture.base()), CLIENT_ID).build();

    assertThatThrownBy(login::start)
        .isInstanceOfSatisfying(
            OAuthErrorException.class, e -> assertThat(e.code()).isEqualTo("device_flow_disabled"));
    assertThat(fixture.server.requests(TOKEN_PATH)).isEmpty();
  }

  @Test
  void githubAppUserTokensExpireAndCarryARefreshToken() {
    String accessToken = IssuedSecrets.fresh("ghu_");
    String refreshToken = IssuedSecrets.fresh("ghr_");
    answerDeviceCode(900, 5);
    answerPolls(
        pending(),
        object()
            .put("access_token", accessToken)
            .put("expires_in", 28_800)
            .put("refresh_token", refreshToken)
            .put("refresh_token_expires_in", 15_897_600)
            .put("scope", "")
            .put("token_type", "bearer"));
    DeviceLogin login = fixture.login(Providers.github(fixture.base()), CLIENT_ID).build();

    TokenSet tokens = login.await(login.start());

    RecordedRequest last = fixture.server.requests(TOKEN_PATH).get(1);
    assertThat(tokens.issuedAt()).isEqualTo(last.at());
    assertThat(tokens.expiresAt()).contains(last.at().plus(Duration.ofHours(8)));
    assertThat(tokens.refreshToken().map(s -> s.revealForTransmission())).contains(refreshToken);
    assertThat(tokens.scope()).as("GitHub Apps have permissions, not scopes").isEmpty();
  }

  @Test
  void githubHasNoRevocationEndpointSoLogoutIsReportedAsNotSupported() {
    answerDeviceCode(900, 5);
    answerPolls(
        object()
            .put("access_token", IssuedSecrets.fresh("gho_"))
            .put("token_type", "bearer")
            .put("scope", ""));
    DeviceLogin login = fixture.login(Providers.github(fixture.base()), CLIENT_ID).build();
    TokenSet tokens = login.await(login.start());
    int requestsBefore = fixture.server.requests().size();

    RevocationReport report = login.revoke(tokens);

    assertThat(login.metadata().revocationEndpoint()).isEmpty();
    assertThat(report.complete()).isFalse();
    assertThat(report.outcomes())
        .allSatisfy(o -> assertThat(o.status()).isEqualTo(RevocationReport.Status.NOT_SUPPORTED));
    assertThat(fixture.server.requests()).hasSize(requestsBefore);
  }

  @Test
  void githubProfileDefaultsToTheDocumentedGithubDotComEndpoints() {
    AuthorizationServerMetadata metadata = Providers.github().resolve(null, Cancellation.none());

    assertThat(Providers.github().name()).isEqualTo("github");
    assertThat(metadata.deviceAuthorizationEndpoint())
        .contains(URI.create("https://github.com/login/device/code"));
    assertThat(metadata.tokenEndpoint())
        .isEqualTo(URI.create("https://github.com/login/oauth/access_token"));
    assertThat(metadata.revocationEndpoint()).isEmpty();
    assertThat(metadata.issuer()).isEmpty();
  }

  @Test
  void githubEnterpriseBaseKeepsItsPathAndRefusesPlainHttpOffLoopback() {
    AuthorizationServerMetadata metadata =
        Providers.github(URI.create("https://ghe.example.com/")).resolve(null, Cancellation.none());

    assertThat(metadata.tokenEndpoint())
        .isEqualTo(URI.create("https://ghe.example.com/login/oauth/access_token"));
    assertThatThrownBy(() -> Providers.github(URI.create("http://ghe.example.com")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https");
    assertThatThrownBy(() -> Providers.github(URI.create("https://ghe.example.com?x=1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Providers.github(URI.create("login/device")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- the fake GitHub -------------------------------------------------------------------------

  private void answerDeviceCode(int expiresIn, int interval) {
    fixture.server.on(
        DEVICE_PATH, request -> negotiated(request, deviceCodeBody(expiresIn, interval)));
  }

  private ObjectNode deviceCodeBody(int expiresIn, int interval) {
    return object()
        .put("device_code", deviceCode)
        .put("user_code", USER_CODE)
        .put("verification_uri", "https://github.com/login/device")
        .put("expires_in", expiresIn)
        .put("interval", interval);
  }

  /** Every poll is answered with HTTP 200, error or not; the last body repeats. */
  private void answerPolls(ObjectNode... bodies) {
    Iterator<ObjectNode> it = List.of(bodies).iterator();
    ObjectNode[] last = {bodies[bodies.length - 1]};
    fixture.server.on(
        TOKEN_PATH,
        request -> {
          synchronized (it) {
            return negotiated(request, it.hasNext() ? it.next() : last[0]);
          }
        });
  }

  private static Reply negotiated(RecordedRequest request, ObjectNode body) {
    return negotiated(request, 200, body);
  }

  /**
   * GitHub answers {@code application/x-www-form-urlencoded} by default and JSON only to {@code
   * Accept: application/json}.
   */
  private static Reply negotiated(RecordedRequest request, int status, ObjectNode body) {
    String accept = request.header("Accept");
    if (accept != null && accept.contains("application/json")) {
      return Reply.json(status, body);
    }
    List<String> pairs = new ArrayList<>();
    body.fields()
        .forEachRemaining(
            f ->
                pairs.add(
                    URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(f.getValue().asText(), StandardCharsets.UTF_8)));
    return Reply.text(
        status,
        "application/x-www-form-urlencoded; charset=utf-8",
        pairs.stream().collect(Collectors.joining("&")));
  }

  private static ObjectNode pending() {
    return error("authorization_pending", "The authorization request is still pending.");
  }

  private static ObjectNode slowDown(int interval) {
    return error("slow_down", "Too many requests have been made in the same timeframe.")
        .put("interval", interval);
  }

  private static ObjectNode error(String code, String description) {
    return object()
        .put("error", code)
        .put("error_description", description)
        .put(
            "error_uri",
            "https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow");
  }
}
