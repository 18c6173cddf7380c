package io.devicelogin.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.User;
import io.devicelogin.server.testing.Backend;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.DeviceCode;
import io.devicelogin.server.testing.OAuthCalls.Tokens;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.TestServer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The administration of accounts, as the command and /admin/users both call it, on each backend:
 * disabling revokes every grant at once, no change leaves the server without an administrator, and
 * every change is audited with the administrator as its actor.
 */
@ServerOnEachBackend(minutesBeforeEachTest = 1)
class UserAdministrationTest {
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final Administrator CLI = Administrator.commandLine("ops");

  @ServerUnderTest private static TestServer server;
  @ServerUnderTest private static OAuthCalls oauth;
  @ServerUnderTest private static Backend backend;

  private static UserAdministration admin() {
    return server.context().administration();
  }

  private static String fresh(String name) {
    return name + "-" + NAMES.incrementAndGet();
  }

  private static User add(String username, boolean administrator) {
    return admin()
        .add(
            username,
            Optional.empty(),
            Optional.of(username + "@example.com"),
            administrator,
            Optional.empty(),
            Optional.of(Secret.of(IssuedSecrets.fresh("pw-"))),
            CLI);
  }

  private static Tokens loginApprovedBy(User user) {
    DeviceCode code = oauth.deviceCode();
    server.approve(code.userCode(), user);
    return OAuthCalls.tokens(oauth.poll(code));
  }

  @Test
  void aPasswordSignInIsTheAccountsLastSignInAndAWrongPasswordIsNot() {
    Secret password = Secret.of(IssuedSecrets.fresh("pw-"));
    User bea =
        admin()
            .add(
                fresh("bea"),
                Optional.empty(),
                Optional.empty(),
                false,
                Optional.empty(),
                Optional.of(password),
                CLI);
    assertThat(bea.lastSignInAt()).isEmpty();

    server.context().users().authenticate(bea.username(), Secret.of("not-" + password.hashCode()));
    assertThat(admin().show(bea.username()).user().lastSignInAt()).isEmpty();

    User signedIn = server.context().users().authenticate(bea.username(), password).orElseThrow();
    assertThat(signedIn.lastSignInAt()).contains(server.clock.instant());
    assertThat(admin().show(bea.username()).user().lastSignInAt()).contains(server.clock.instant());
  }

  @Test
  void disablingRevokesEveryGrantAtOnceSoIntrospectionSaysInactiveAndRefreshIsRefused() {
    User alice = add(fresh("alice"), false);
    Tokens laptop = loginApprovedBy(alice);
    Tokens server2 = loginApprovedBy(alice);
    assertThat(oauth.active(laptop.accessToken())).isTrue();

    assertThat(admin().disable(alice.username(), CLI)).isEqualTo(2);

    for (Tokens t : List.of(laptop, server2)) {
      assertThat(oauth.active(t.accessToken())).isFalse();
      assertThat(oauth.active(t.refreshToken())).isFalse();
      assertThat(oauth.refresh(t).error()).isEqualTo("invalid_grant");
      assertThat(oauth.userinfo(t.accessToken()).status()).isEqualTo(401);
    }
    assertThat(server.context().tokens().grantsOf(alice.id())).noneMatch(g -> g.active());
    assertThat(admin().show(alice.username()).user().status()).isEqualTo(User.Status.DISABLED);
    assertThat(server.context().audit().find(alice.id(), null, null, 50))
        .anySatisfy(
            e -> {
              assertThat(e.event()).isEqualTo(AuditEvent.Type.REVOKED);
              assertThat(e.actor()).isEqualTo("cli:ops");
            })
        .anySatisfy(
            e -> {
              assertThat(e.event()).isEqualTo(AuditEvent.Type.ACCOUNT_DISABLED);
              assertThat(e.actor()).isEqualTo("cli:ops");
            });

    admin().enable(alice.username(), CLI);
    assertThat(admin().show(alice.username()).user().isActive()).isTrue();
    assertThat(oauth.active(laptop.refreshToken())).as("revoked grants stay revoked").isFalse();
  }

  @Test
  void deletingRevokesTheGrantsRemovesTheAccountAndKeepsItsAuditTrail() {
    User bob = add(fresh("bob"), false);
    Tokens tokens = loginApprovedBy(bob);

    assertThat(admin().delete(bob.username(), CLI)).isEqualTo(1);

    assertThat(server.context().users().find(bob.id())).isEmpty();
    assertThat(oauth.active(tokens.refreshToken())).isFalse();
    assertThat(server.context().audit().find(bob.id(), null, null, 50))
        .extracting(AuditEvent::event)
        .contains(
            AuditEvent.Type.ACCOUNT_CREATED,
            AuditEvent.Type.APPROVED,
            AuditEvent.Type.REVOKED,
            AuditEvent.Type.ACCOUNT_DELETED);
    assertThatThrownBy(() -> admin().show(bob.username()))
        .isInstanceOfSatisfying(
            AdminRefusal.class,
            r -> assertThat(r.kind()).isEqualTo(AdminRefusal.Kind.NO_SUCH_ACCOUNT));
  }

  @Test
  void theLastActiveAdministratorCannotBeDisabledDeletedOrUnmade() {
    try (TestServer alone = TestServer.start(backend)) {
      UserAdministration accounts = alone.context().administration();
      for (Runnable change :
          List.<Runnable>of(
              () -> accounts.disable("demo", CLI),
              () -> accounts.delete("demo", CLI),
              () -> accounts.setAdmin("demo", false, CLI))) {
        assertThatThrownBy(change::run)
            .isInstanceOfSatisfying(
                AdminRefusal.class,
                r -> {
                  assertThat(r.kind()).isEqualTo(AdminRefusal.Kind.LAST_ADMIN);
                  assertThat(r.getMessage()).contains("last active administrator");
                });
      }
      assertThat(alone.demoUser().isActive()).isTrue();
      assertThat(alone.demoUser().admin()).isTrue();

      // A second administrator, active, lets the first go; a disabled one would not.
      alone.createUser("second", false);
      accounts.setAdmin("second", true, CLI);
      accounts.disable("second", CLI);
      assertThatThrownBy(() -> accounts.setAdmin("demo", false, CLI))
          .isInstanceOf(AdminRefusal.class);
      accounts.enable("second", CLI);
      accounts.setAdmin("demo", false, CLI);
      assertThat(alone.demoUser().admin()).isFalse();
    }
  }

  @Test
  void unlockingLiftsTheAccountsSignInDelayAfterFailedSignIns() {
    String carol = fresh("carol");
    User user = add(carol, false);
    Secret password = Secret.of(IssuedSecrets.fresh("pw-"));
    admin().resetPassword(carol, password, CLI);
    for (int i = 0; i < 10; i++) {
      server
          .context()
          .audit()
          .record(
              AuditEvent.inSession(
                      AuditEvent.Type.SIGN_IN_FAILED,
                      Optional.of(user),
                      new Origin("198.51.100.9", "test"),
                      "session-" + i)
                  .detail("wrong password"));
    }
    assertThatThrownBy(() -> server.context().users().authenticate(carol, password))
        .isInstanceOf(OAuthProblem.class);

    admin().unlock(carol, CLI);

    assertThat(server.context().users().authenticate(carol, password)).isPresent();
    assertThat(server.context().audit().find(user.id(), null, null, 5))
        .anySatisfy(e -> assertThat(e.event()).isEqualTo(AuditEvent.Type.ACCOUNT_UNLOCKED));
  }

  @Test
  void anAccountLinkedToAnUpstreamIsAddedWithoutAPassword() {
    String dana = fresh("dana");
    User linked =
        admin()
            .add(
                dana,
                Optional.of("Dana Example"),
                Optional.empty(),
                false,
                Optional.of(new User.Link("corp", "sub-" + dana)),
                Optional.empty(),
                CLI);
    assertThat(linked.link()).hasValue(new User.Link("corp", "sub-" + dana));
    assertThat(server.context().users().authenticate(dana, Secret.of("any password"))).isEmpty();
    assertThat(admin().list(Optional.of("sub-" + dana)))
        .extracting(a -> a.user().username())
        .containsExactly(dana);
    assertThatThrownBy(
            () ->
                admin()
                    .add(
                        fresh("again"),
                        Optional.empty(),
                        Optional.empty(),
                        false,
                        Optional.of(new User.Link("corp", "sub-" + dana)),
                        Optional.empty(),
                        CLI))
        .isInstanceOfSatisfying(
            AdminRefusal.class, r -> assertThat(r.kind()).isEqualTo(AdminRefusal.Kind.EXISTS));
  }

  @Test
  void searchFindsAccountsByUsernameNameEmailAndTakesPercentLiterally() {
    String erin = fresh("erin");
    add(erin, false);
    assertThat(admin().list(Optional.of(erin.toUpperCase()))).hasSize(1);
    assertThat(admin().list(Optional.of(erin + "@example.COM"))).hasSize(1);
    assertThat(admin().list(Optional.of("%"))).isEmpty();
    assertThat(admin().list(Optional.empty())).extracting(a -> a.user().username()).contains(erin);
  }
}
