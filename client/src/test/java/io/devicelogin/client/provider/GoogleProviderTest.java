package io.devicelogin.client.provider;

import static io.devicelogin.client.provider.GoogleFake.DRIVE_FILE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.ExpiredTokenException;
import io.devicelogin.client.OAuthErrorException;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.client.testing.RecordedRequest;
import io.devicelogin.client.testing.RecordingListener;
import io.devicelogin.client.testing.Reply;
import io.devicelogin.client.tokens.RevocationReport;
import io.devicelogin.client.wire.Scope;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What only Google does ({@link GoogleFake}): other names for the scopes it grants, codes that live
 * 30 minutes, a client secret at the token endpoint, and RFC 7009 revocation.
 */
@ExtendWith(NoSecretsInOutput.class)
class GoogleProviderTest {
  private static final String USERINFO_EMAIL = "https://www.googleapis.com/auth/userinfo.email";
  private static final String USERINFO_PROFILE = "https://www.googleapis.com/auth/userinfo.profile";

  private final GoogleFake google = new GoogleFake();
  private final RecordingListener events = new RecordingListener();

  @AfterEach
  void stop() {
    google.close();
  }

  @Test
  void googleGrantedScopeIsTakenAsSentEvenWhenItRenamesTheRequestedOnes() {
    google.answerDeviceCode(1800, 5);
    google.answerPolls(
        ProviderFake.tokens(google.tokensFor(USERINFO_PROFILE + " openid " + USERINFO_EMAIL)));
    DeviceLogin login = google.login().scope("openid", "email", "profile").build();

    TokenSet tokens = login.await(login.start());

    assertThat(tokens.scope())
        .containsExactlyInAnyOrder("openid", USERINFO_EMAIL, USERINFO_PROFILE);
  }

  @Test
  void googleRenamedUserinfoScopesAreNotAWidening() {
    google.answerDeviceCode(1800, 5);
    google.answerPolls(ProviderFake.tokens(google.tokensFor(USERINFO_EMAIL + " openid")));
    DeviceLogin login = google.login().scope("email", "openid").listener(events).build();

    login.await(login.start());

    assertThat(events.widened).isEmpty();
  }

  @Test
  void aScopeGoogleGrantsBeyondTheRequestIsStillAWidening() {
    google.answerDeviceCode(1800, 5);
    google.answerPolls(ProviderFake.tokens(google.tokensFor("openid " + DRIVE_FILE)));
    DeviceLogin login = google.login().scope("openid").listener(events).build();

    login.await(login.start());

    assertThat(events.widened)
        .containsExactly(List.of(Scope.of("openid"), Scope.of("openid", DRIVE_FILE)));
  }

  @Test
  void googleThirtyMinuteCodeIsNotPolledPastItsExpiry() {
    google.answerDeviceCode(1800, 5);
    // The person takes their time: while the first poll is answered, 29 minutes pass.
    google.fixture.server.on(
        google.tokenPath,
        request -> {
          if (google.fixture.server.requests(google.tokenPath).size() == 1) {
            google.fixture.clock.advance(Duration.ofMinutes(29));
          }
          return google.deliver(request, google.pending());
        });
    // The default maximum wait (30 min) is as long as Google's codes live.
    DeviceLogin login = google.login().scope(DRIVE_FILE).build();
    DeviceAuthorization authorization = login.start();

    ExpiredTokenException expired =
        catchThrowableOfType(ExpiredTokenException.class, () -> login.await(authorization));

    assertThat(expired.httpStatus()).as("detected by the client's clock").isZero();
    assertThat(authorization.expiresAt())
        .isEqualTo(google.fixture.start.plus(Duration.ofMinutes(30)));
    List<RecordedRequest> polls = google.fixture.server.requests(google.tokenPath);
    // The first at 5.25 s; the clock then reads 29 min 5.25 s, which leaves room for 10 more polls
    // 5.25 s apart before 30 min.
    assertThat(polls).hasSize(11);
    assertThat(polls.get(polls.size() - 1).at()).isBefore(authorization.expiresAt());
    assertThat(google.fixture.clock.instant()).isEqualTo(authorization.expiresAt());
  }

  @Test
  void googleTokenEndpointRefusesAClientWithoutItsSecret() {
    google.answerDeviceCode(1800, 5);
    google.answerPolls(google.pending());
    DeviceLogin login = google.withoutSecret().scope(DRIVE_FILE).build();
    DeviceAuthorization authorization = login.start();

    assertThatThrownBy(() -> login.await(authorization))
        .isInstanceOfSatisfying(
            OAuthErrorException.class,
            e -> {
              assertThat(e.code()).isEqualTo("invalid_client");
              assertThat(e.httpStatus()).isEqualTo(401);
            });
    assertThat(google.fixture.server.requests(google.tokenPath)).hasSize(1);
  }

  @Test
  void googleLogoutRevokesRefreshThenAccessTokenAtTheRevokeEndpoint() {
    google.answerDeviceCode(1800, 5);
    google.answerPolls(ProviderFake.tokens(google.documentedTokens()));
    google.fixture.server.on(
        GoogleFake.REVOKE_PATH, request -> Reply.json(200, ContractFixture.object()));
    DeviceLogin login = google.login().scope(DRIVE_FILE).build();
    TokenSet tokens = login.await(login.start());

    RevocationReport report = login.revoke(tokens);

    assertThat(report.complete()).isTrue();
    List<RecordedRequest> revocations = google.fixture.server.requests(GoogleFake.REVOKE_PATH);
    assertThat(revocations).hasSize(2);
    revocations.forEach(ContractFixture::assertFormPost);
    assertThat(revocations.get(0).param("token")).isEqualTo(google.refreshToken);
    assertThat(revocations.get(0).param("token_type_hint")).isEqualTo("refresh_token");
    assertThat(revocations.get(1).param("token")).isEqualTo(google.accessToken);
    assertThat(revocations.get(1).param("token_type_hint")).isEqualTo("access_token");
  }
}
