package io.devicelogin.client.provider;

import static io.devicelogin.client.provider.ContractFixture.FIVE_SECONDS_PADDED;
import static io.devicelogin.client.provider.ContractFixture.TEN_SECONDS_PADDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.devicelogin.client.AccessDeniedException;
import io.devicelogin.client.Cancellation;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.ExpiredTokenException;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.client.testing.RecordedRequest;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules of RFC 8628 that hold against every provider profile, each run against a local server
 * that answers in that provider's documented wire format ({@link ProviderFake}): whatever the
 * status codes, member names and extra members, the client sends the same forms, polls at the
 * interval, slows down, and stops at a denial or an expiry.
 */
@ExtendWith(NoSecretsInOutput.class)
class ProviderContractTest {

  static Stream<ProviderFake> providers() {
    return Stream.of(new GitHubFake(), new EntraFake(), new GoogleFake(), new WorkOSFake());
  }

  /** Entra documents no {@code slow_down}. */
  static Stream<ProviderFake> slowingDown() {
    return Stream.of(new GitHubFake(), new GoogleFake(), new WorkOSFake());
  }

  /** Google's documentation does not list {@code expired_token}. */
  static Stream<ProviderFake> expiring() {
    return Stream.of(new GitHubFake(), new EntraFake(), new WorkOSFake());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void theDocumentedLoginSendsFormsOnlyAndPollsAtTheIntervalUntilTokens(ProviderFake p) {
    p.answerDeviceCode(p.lifetime, 5);
    p.answerPolls(p.pending(), p.pending(), ProviderFake.tokens(p.documentedTokens()));
    DeviceLogin login = p.documentedLogin().build();

    DeviceAuthorization authorization = login.start();
    TokenSet tokens = login.await(authorization);

    RecordedRequest codeRequest = p.fixture.onlyFormPost(p.devicePath);
    assertThat(codeRequest.form()).isEqualTo(p.documentedCodeRequest());
    List<RecordedRequest> polls = p.fixture.server.requests(p.tokenPath);
    assertThat(polls).hasSize(3);
    for (RecordedRequest poll : polls) {
      ContractFixture.assertFormPost(poll);
      assertThat(poll.form()).isEqualTo(p.documentedPoll());
    }
    assertThat(polls.get(0).at()).isEqualTo(p.fixture.start.plus(FIVE_SECONDS_PADDED));
    assertThat(p.fixture.server.gaps(p.tokenPath)).containsOnly(FIVE_SECONDS_PADDED);
    p.checkDocumentedLogin(authorization, tokens, polls);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("slowingDown")
  void slowDownAddsFiveSecondsForTheRestOfTheLogin(ProviderFake p) {
    p.answerDeviceCode(p.lifetime, 5);
    p.answerPolls(
        p.pending(), p.error("slow_down"), p.pending(), ProviderFake.tokens(p.someTokens()));
    DeviceLogin login = p.login().build();

    login.await(login.start());

    assertThat(p.fixture.server.gaps(p.tokenPath))
        .containsExactly(FIVE_SECONDS_PADDED, TEN_SECONDS_PADDED, TEN_SECONDS_PADDED);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void aDenialStopsPollingAtOnce(ProviderFake p) {
    p.answerDeviceCode(p.lifetime, 5);
    p.answerPolls(p.pending(), p.error(p.denial()));
    DeviceLogin login = p.login().build();
    DeviceAuthorization authorization = login.start();

    AccessDeniedException denied =
        catchThrowableOfType(AccessDeniedException.class, () -> login.await(authorization));

    assertThat(denied.code()).isEqualTo(p.denial());
    assertThat(denied.httpStatus()).isEqualTo(p.errorStatus(p.denial()));
    assertThat(p.fixture.server.requests(p.tokenPath)).hasSize(2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expiring")
  void anExpiredTokenAnswerEndsTheLoginAsExpired(ProviderFake p) {
    p.answerDeviceCode(p.lifetime, 5);
    p.answerPolls(p.pending(), p.pending(), p.error("expired_token"));
    DeviceLogin login = p.login().build();
    DeviceAuthorization authorization = login.start();

    ExpiredTokenException expired =
        catchThrowableOfType(ExpiredTokenException.class, () -> login.await(authorization));

    assertThat(expired.httpStatus()).isEqualTo(p.errorStatus("expired_token"));
    assertThat(p.fixture.server.requests(p.tokenPath)).hasSize(3);
  }

  /** A profile's endpoints as its provider documents them; no revocation endpoint when null. */
  record Documented(Provider profile, String name, String device, String token, String revocation) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Documented> documentedEndpoints() {
    return Stream.of(
        new Documented(
            Providers.github(),
            "github",
            "https://github.com/login/device/code",
            "https://github.com/login/oauth/access_token",
            null),
        new Documented(
            Providers.entra("common"),
            "entra",
            "https://login.microsoftonline.com/common/oauth2/v2.0/devicecode",
            "https://login.microsoftonline.com/common/oauth2/v2.0/token",
            null),
        new Documented(
            Providers.google(),
            "google",
            "https://oauth2.googleapis.com/device/code",
            "https://oauth2.googleapis.com/token",
            "https://oauth2.googleapis.com/revoke"),
        new Documented(
            Providers.workos(),
            "workos",
            "https://api.workos.com/user_management/authorize/device",
            "https://api.workos.com/user_management/authenticate",
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documentedEndpoints")
  void everyProfileDefaultsToItsDocumentedEndpoints(Documented d) {
    AuthorizationServerMetadata metadata = d.profile().resolve(null, Cancellation.none());

    assertThat(d.profile().name()).isEqualTo(d.name());
    assertThat(metadata.deviceAuthorizationEndpoint()).contains(URI.create(d.device()));
    assertThat(metadata.tokenEndpoint()).isEqualTo(URI.create(d.token()));
    assertThat(metadata.revocationEndpoint())
        .isEqualTo(Optional.ofNullable(d.revocation()).map(URI::create));
    assertThat(metadata.issuer()).as("a fixed profile names no issuer").isEmpty();
  }
}
