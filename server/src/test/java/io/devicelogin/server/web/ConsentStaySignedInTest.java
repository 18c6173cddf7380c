package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import io.devicelogin.server.web.Terminal.Code;
import io.devicelogin.server.web.Terminal.Poll;
import org.junit.jupiter.api.Test;

/**
 * The consent page says "stay signed in" exactly when the login gets a refresh token: for every
 * scope and every {@code refresh_tokens} policy, what the person reads before approving and what
 * the terminal then receives agree.
 */
@ServerOnEachBackend(minutesBeforeEachTest = 1)
class ConsentStaySignedInTest {
  private static final String STAY_SIGNED_IN =
      "Stay signed in: keep access after this session, until you revoke it";

  @ServerUnderTest private static TestServer server;

  /** What the person read on the consent page, and whether the terminal got a refresh token. */
  private record Login(String consent, boolean refreshToken) {}

  private static Login approve(String client, String scope) {
    Terminal terminal = new Terminal(server).as(client);
    Code code = terminal.requestCode(scope);
    Browser browser = new Browser(server);
    Page consent =
        Flows.toConsent(browser, code.userCode(), "demo", Secret.of(server.demoPassword));
    assertThat(Flows.decide(browser, consent, "approve").status()).isEqualTo(200);
    Poll poll = terminal.poll(code);
    assertThat(poll.status()).as(poll.json().toString()).isEqualTo(200);
    return new Login(consent.text(), poll.json().hasNonNull("refresh_token"));
  }

  @Test
  void aLoginAskingForOfflineAccessIsToldItStaysSignedInAndGetsARefreshToken() {
    Login login = approve(TestClients.CLI, "openid profile offline_access");
    assertThat(login.consent()).contains(STAY_SIGNED_IN).contains("offline_access");
    assertThat(login.refreshToken()).isTrue();
  }

  @Test
  void aLoginWithoutOfflineAccessIsNotToldSoAndGetsNoRefreshToken() {
    Login login = approve(TestClients.CLI, "openid profile");
    assertThat(login.consent()).contains("See your name").doesNotContain("Stay signed in");
    assertThat(login.refreshToken()).isFalse();
  }

  @Test
  void aClientThatAlwaysGetsRefreshTokensIsSaidToStaySignedInEvenWithoutOfflineAccess() {
    Login login = approve(TestClients.ALWAYS_REFRESH_CLI, "openid");
    assertThat(login.consent()).contains(STAY_SIGNED_IN);
    assertThat(login.refreshToken()).isTrue();
  }

  @Test
  void aClientThatNeverGetsRefreshTokensIsNotSaidToStaySignedInEvenWithOfflineAccess() {
    Login login = approve(TestClients.NO_REFRESH_CLI, "openid offline_access");
    assertThat(login.consent()).doesNotContain("Stay signed in");
    assertThat(login.refreshToken()).isFalse();
  }
}
