package io.devicelogin.client.provider;

import static io.devicelogin.client.provider.ContractFixture.FIVE_SECONDS_PADDED;
import static io.devicelogin.client.provider.ContractFixture.TEN_SECONDS_PADDED;
import static io.devicelogin.client.provider.ContractFixture.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.devicelogin.client.Cancellation;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.ExpiredTokenException;
import io.devicelogin.client.OAuthErrorException;
import io.devicelogin.client.Secret;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.provider.ProviderFake.Answer;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.client.testing.RecordedRequest;
import io.devicelogin.client.tokens.RevocationReport;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What only GitHub does ({@link GitHubFake}): {@code slow_down} that names the new interval, codes
 * of its own, GitHub Apps' expiring tokens, no revocation, Enterprise Server hosts.
 */
@ExtendWith(NoSecretsInOutput.class)
class GitHubProviderTest {
  private final GitHubFake github = new GitHubFake();

  @AfterEach
  void stop() {
    github.close();
  }

  @Test
  void githubSlowDownWithStatus200TakesTheIntervalItSends() {
    github.answerDeviceCode(900, 5);
    github.answerPolls(
        github.pending(),
        new Answer(200, GitHubFake.slowDown(10)),
        github.pending(),
        // Larger than the previous interval plus 5 s: the server's figure wins.
        new Answer(200, GitHubFake.slowDown(20)),
        ProviderFake.tokens(github.someTokens()));
    DeviceLogin login = github.login().scope("repo").build();

    login.await(login.start());

    assertThat(github.fixture.server.gaps(github.tokenPath))
        .containsExactly(
            FIVE_SECONDS_PADDED, TEN_SECONDS_PADDED, TEN_SECONDS_PADDED, Duration.ofMillis(21_000));
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
      try (GitHubFake local = new GitHubFake()) {
        OAuthErrorException failure = firstPollAnswered(local, code);

        assertThat(failure.code()).isEqualTo(code);
        assertThat(failure.httpStatus()).isEqualTo(200);
        assertThat(local.fixture.server.requests(local.tokenPath)).as(code).hasSize(1);
      }
    }
  }

  @Test
  void githubTokenExpiredEndsTheLoginAsAnExpiredCodeKeepingGitHubsName() {
    try (GitHubFake local = new GitHubFake()) {
      assertThat(firstPollAnswered(local, "token_expired"))
          .isInstanceOf(ExpiredTokenException.class)
          .extracting(OAuthErrorException::code)
          .isEqualTo("token_expired");
    }
  }

  /** The failure of a login whose first poll GitHub answers with the error {@code code}. */
  private static OAuthErrorException firstPollAnswered(GitHubFake github, String code) {
    github.answerDeviceCode(900, 5);
    github.answerPolls(github.error(code));
    DeviceLogin login = github.login().build();
    DeviceAuthorization authorization = login.start();
    return catchThrowableOfType(OAuthErrorException.class, () -> login.await(authorization));
  }

  @Test
  void githubDeviceFlowDisabledFailsTheCodeRequestWithoutPolling() {
    github.fixture.server.on(
        github.devicePath,
        request ->
            github.deliver(request, new Answer(400, github.errorBody("device_flow_disabled"))));
    DeviceLogin login = github.login().build();

    assertThatThrownBy(login::start)
        .isInstanceOfSatisfying(
            OAuthErrorException.class, e -> assertThat(e.code()).isEqualTo("device_flow_disabled"));
    assertThat(github.fixture.server.requests(github.tokenPath)).isEmpty();
  }

  @Test
  void githubAppUserTokensExpireAndCarryARefreshToken() {
    String accessToken = IssuedSecrets.fresh("ghu_");
    String refreshToken = IssuedSecrets.fresh("ghr_");
    github.answerDeviceCode(900, 5);
    github.answerPolls(
        github.pending(),
        ProviderFake.tokens(
            object()
                .put("access_token", accessToken)
                .put("expires_in", 28_800)
                .put("refresh_token", refreshToken)
                .put("refresh_token_expires_in", 15_897_600)
                .put("scope", "")
                .put("token_type", "bearer")));
    DeviceLogin login = github.login().build();

    TokenSet tokens = login.await(login.start());

    RecordedRequest last = github.fixture.server.requests(github.tokenPath).get(1);
    assertThat(tokens.issuedAt()).isEqualTo(last.at());
    assertThat(tokens.expiresAt()).contains(last.at().plus(Duration.ofHours(8)));
    assertThat(tokens.refreshToken().map(Secret::revealForTransmission)).contains(refreshToken);
    assertThat(tokens.scope()).as("GitHub Apps have permissions, not scopes").isEmpty();
  }

  @Test
  void githubHasNoRevocationEndpointSoLogoutIsReportedAsNotSupported() {
    github.answerDeviceCode(900, 5);
    github.answerPolls(ProviderFake.tokens(github.someTokens().put("scope", "")));
    DeviceLogin login = github.login().build();
    TokenSet tokens = login.await(login.start());
    int requestsBefore = github.fixture.server.requests().size();

    RevocationReport report = login.revoke(tokens);

    assertThat(login.metadata().revocationEndpoint()).isEmpty();
    assertThat(report.complete()).isFalse();
    assertThat(report.outcomes())
        .allSatisfy(o -> assertThat(o.status()).isEqualTo(RevocationReport.Status.NOT_SUPPORTED));
    assertThat(github.fixture.server.requests()).hasSize(requestsBefore);
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
}
