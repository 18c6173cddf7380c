package io.devicelogin.server.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.DeviceAuthorizationRecord;
import io.devicelogin.server.store.Grant;
import io.devicelogin.server.store.User;
import io.devicelogin.server.testing.Backend;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.DeviceCode;
import io.devicelogin.server.testing.OAuthCalls.Response;
import io.devicelogin.server.testing.OAuthCalls.Tokens;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What a poll answers in each state of a device authorization (RFC 8628 §3.5), over HTTP: tokens
 * once, {@code access_denied} after a deny, {@code expired_token} once the code has expired
 * whatever its state, and {@code invalid_grant} for unknown codes, codes of another client and
 * codes that already yielded tokens (whose replay revokes the grant).
 */
@ServerOnEachBackend(minutesBeforeEachTest = 1)
class DeviceCodeOutcomesTest {
  private static final Duration LIFETIME = Duration.ofMinutes(10);
  @ServerUnderTest private static TestServer server;
  @ServerUnderTest private static OAuthCalls oauth;

  @ServerUnderTest Backend backend;

  /** A final answer: the poll gets {@code error}, and so does the next one, 5 s later. */
  private static void assertFinal(DeviceCode code, String error) {
    assertError(oauth.poll(code), error);
    server.clock.advance(Duration.ofSeconds(5));
    assertError(oauth.poll(code), error);
  }

  /** Neither an approval nor a denial of the authorization {@code id} is taken any more. */
  private static void assertCannotBeDecided(String id) {
    assertThatThrownBy(
            () ->
                server
                    .context()
                    .devices()
                    .approve(id, server.demoUser(), TestServer.APPROVER, null))
        .isInstanceOf(OAuthProblem.class);
    assertThatThrownBy(
            () -> server.context().devices().deny(id, server.demoUser(), TestServer.APPROVER, null))
        .isInstanceOf(OAuthProblem.class);
  }

  private static void assertError(Response r, String error) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.error()).isEqualTo(error);
  }

  @Test
  void anApprovedCodeYieldsTokensForTheApprovedScopeOnTheNextPoll() {
    DeviceCode code = oauth.deviceCode(TestClients.CLI, "openid email offline_access");
    assertError(oauth.poll(code), "authorization_pending");
    server.approve(code.userCode());
    server.clock.advance(Duration.ofSeconds(5));
    Tokens tokens = OAuthCalls.tokens(oauth.poll(code));
    assertThat(tokens.scope().split(" "))
        .containsExactlyInAnyOrder("openid", "email", "offline_access");
    assertThat(tokens.expiresIn()).isEqualTo(600);
    assertThat(tokens.refreshToken()).isNotNull();
    assertThat(oauth.active(tokens.accessToken())).isTrue();
  }

  @Test
  void aDeniedCodeGetsAccessDenied() {
    DeviceCode code = oauth.deviceCode();
    server.deny(code.userCode());
    assertFinal(code, "access_denied");
  }

  @Test
  void aPendingCodeGetsExpiredTokenOnceItsLifetimeHasPassed() {
    DeviceCode code = oauth.deviceCode();
    assertThat(code.expiresIn()).isEqualTo(600);
    server.clock.advance(LIFETIME.minusMillis(1));
    assertError(oauth.poll(code), "authorization_pending");
    server.clock.advance(Duration.ofMillis(1));
    assertFinal(code, "expired_token");
  }

  @Test
  void anApprovedButUnredeemedCodeGetsExpiredTokenAndItsGrantIsRevoked() {
    DeviceCode code = oauth.deviceCode();
    String grantId = server.approve(code.userCode());
    server.clock.advance(LIFETIME);
    assertError(oauth.poll(code), "expired_token");
    assertThat(server.context().tokens().findGrant(grantId))
        .get()
        .extracting(Grant::active)
        .isEqualTo(false);
  }

  @Test
  void aDeniedCodeGetsExpiredTokenOnceItsLifetimeHasPassed() {
    DeviceCode code = oauth.deviceCode();
    server.deny(code.userCode());
    server.clock.advance(LIFETIME);
    assertError(oauth.poll(code), "expired_token");
  }

  @Test
  void aCodeExpiredBySweepingGetsExpiredToken() {
    DeviceCode code = oauth.deviceCode();
    String id = server.pending(code.userCode()).id();
    server.clock.advance(LIFETIME);
    server
        .context()
        .devices()
        .sweepExpired(); // the server's own sweeper may have been first: either way
    assertThat(server.context().devices().find(id).orElseThrow().status())
        .isEqualTo(DeviceAuthorizationRecord.Status.EXPIRED);
    assertError(oauth.poll(code), "expired_token");
  }

  @Test
  void aCodeOfAClientsOwnLifetimeExpiresWhenItSays() {
    DeviceCode code = oauth.deviceCode(TestClients.QUICK_CLI, "openid");
    assertThat(code.expiresIn()).isEqualTo(120);
    server.clock.advance(Duration.ofMinutes(2));
    assertError(oauth.poll(TestClients.QUICK_CLI, code.deviceCode()), "expired_token");
  }

  @Test
  void anUnknownDeviceCodeGetsInvalidGrant() {
    assertError(oauth.poll(TestClients.CLI, IssuedSecrets.fresh("unknown-")), "invalid_grant");
  }

  @Test
  void aCodeOfAnotherClientGetsInvalidGrantAndStaysUsableByItsOwn() {
    DeviceCode code = oauth.deviceCode();
    assertError(oauth.poll(TestClients.OTHER_CLI, code.deviceCode()), "invalid_grant");
    server.approve(code.userCode());
    assertError(oauth.poll(TestClients.OTHER_CLI, code.deviceCode()), "invalid_grant");
    Tokens tokens = OAuthCalls.tokens(oauth.poll(code));
    assertThat(oauth.active(tokens.accessToken())).isTrue();
  }

  @Test
  void aRedeemedCodeGetsInvalidGrantAndItsReplayRevokesTheGrantItProduced() {
    DeviceCode code = oauth.deviceCode();
    String grantId = server.approve(code.userCode());
    Tokens tokens = OAuthCalls.tokens(oauth.poll(code));
    assertThat(oauth.active(tokens.accessToken())).isTrue();

    server.clock.advance(Duration.ofSeconds(5));
    assertError(oauth.poll(code), "invalid_grant");

    assertThat(oauth.active(tokens.accessToken())).isFalse();
    assertThat(oauth.active(tokens.refreshToken())).isFalse();
    assertError(oauth.refresh(tokens), "invalid_grant");
    Grant grant = server.context().tokens().findGrant(grantId).orElseThrow();
    assertThat(grant.active()).isFalse();
    assertThat(grant.revokedBy()).isEqualTo("system");
  }

  @Test
  void aReplayAfterTheGrantIsRevokedIsInvalidGrantAndWritesNothing() {
    DeviceCode code = oauth.deviceCode();
    server.approve(code.userCode());
    OAuthCalls.tokens(oauth.poll(code));
    server.clock.advance(Duration.ofSeconds(5));
    assertError(oauth.poll(code), "invalid_grant");
    long audited = server.jdbc().count("SELECT COUNT(*) FROM audit_events");

    for (int i = 0; i < 3; i++) {
      server.clock.advance(Duration.ofSeconds(5));
      assertError(oauth.poll(code), "invalid_grant");
    }
    assertThat(server.jdbc().count("SELECT COUNT(*) FROM audit_events")).isEqualTo(audited);
  }

  @Test
  void aDisabledOrLockedUserCannotApprove() {
    for (User.Status status : new User.Status[] {User.Status.DISABLED, User.Status.LOCKED}) {
      String name = "approver-" + status.name().toLowerCase() + "-" + backend.name().toLowerCase();
      server.createUser(name, false);
      User user = server.context().users().findByUsername(name).orElseThrow();
      server.context().users().setStatus(user.id(), status);
      DeviceCode code = oauth.deviceCode();
      String id = server.pending(code.userCode()).id();

      // Both with the account as it is now and with the one the pages read before it was disabled.
      User now = server.context().users().find(user.id()).orElseThrow();
      assertThatThrownBy(
              () -> server.context().devices().approve(id, now, TestServer.APPROVER, null))
          .isInstanceOf(OAuthProblem.class);
      assertThatThrownBy(
              () -> server.context().devices().approve(id, user, TestServer.APPROVER, null))
          .isInstanceOf(OAuthProblem.class);

      assertError(oauth.poll(code), "authorization_pending");
      assertThat(server.context().tokens().grantsOf(user.id())).isEmpty();
      assertThat(server.context().devices().findLive(code.userCode().replace("-", ""))).isPresent();
    }
  }

  @Test
  void anAccountDisabledOrLockedBetweenApprovalAndThePollReceivesNoTokens() {
    for (User.Status status : new User.Status[] {User.Status.DISABLED, User.Status.LOCKED}) {
      String name =
          "approved-then-" + status.name().toLowerCase() + "-" + backend.name().toLowerCase();
      server.createUser(name, false);
      User user = server.context().users().findByUsername(name).orElseThrow();
      DeviceCode code = oauth.deviceCode();
      String grantId = server.approve(code.userCode(), user);
      server.context().users().setStatus(user.id(), status);

      assertError(oauth.poll(code), "access_denied");
      assertThat(
              server
                  .jdbc()
                  .count("SELECT COUNT(*) FROM refresh_tokens WHERE grant_id = ?", grantId))
          .isZero();
      assertThat(server.context().audit().find(null, null, grantId, 100))
          .noneMatch(e -> e.event() == AuditEvent.Type.TOKENS_ISSUED);

      // Enabled again before the code expires: disabling suspends, so the approval still stands.
      server.context().users().setStatus(user.id(), User.Status.ACTIVE);
      server.clock.advance(Duration.ofSeconds(5));
      OAuthCalls.tokens(oauth.poll(code));
    }
  }

  @Test
  void aCodeCanBeDecidedOnlyOnce() {
    DeviceCode code = oauth.deviceCode();
    String id = server.pending(code.userCode()).id();
    server.approve(code.userCode());
    assertCannotBeDecided(id);
    assertThat(server.context().tokens().grantsOf(server.demoUser().id()))
        .filteredOn(g -> id.equals(g.deviceAuthorizationId()))
        .hasSize(1);
  }

  @Test
  void anExpiredCodeCannotBeApprovedOrDenied() {
    DeviceCode code = oauth.deviceCode();
    String id = server.pending(code.userCode()).id();
    server.clock.advance(LIFETIME);
    assertCannotBeDecided(id);
    assertThat(server.context().devices().findLive(code.userCode().replace("-", ""))).isEmpty();
    assertError(oauth.poll(code), "expired_token");
  }
}
