package io.devicelogin.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.server.store.StoreException;
import io.devicelogin.server.store.User;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.TestServer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Accounts linked to an upstream's subject, on H2 and on PostgreSQL: created without a password,
 * found by the link alone, one account per link, and what the upstream says stored at each sign-in.
 */
@ServerOnEachBackend
class LinkedAccountStoreTest {
  @ServerUnderTest private static TestServer server;

  private UserService users() {
    return server.context().users();
  }

  @Test
  void anInvitedAccountIsFoundByItsLinkAndHasNoPassword() {
    User invited =
        users()
            .invite(
                new User.Link("corp", "00u-invited"),
                "invited",
                "Invited Person",
                Optional.of("invited@corp.example"));

    assertThat(users().findByLink(new User.Link("corp", "00u-invited")))
        .map(User::id)
        .contains(invited.id());
    assertThat(invited.link()).contains(new User.Link("corp", "00u-invited"));
    assertThat(invited.isActive()).isTrue();
    assertThat(invited.admin()).isFalse();
    assertThat(
            server
                .jdbc()
                .query(
                    "SELECT password_hash FROM users WHERE id = ?",
                    r -> String.valueOf(r.getString(1)),
                    invited.id()))
        .containsExactly("null");
  }

  @Test
  void theSameSubjectAtAnotherUpstreamIsAnotherPerson() {
    users().invite(new User.Link("corp", "same-sub"), "same-at-corp", "A", Optional.empty());

    assertThat(users().findByLink(new User.Link("partner", "same-sub"))).isEmpty();
  }

  @Test
  void oneLinkIsOneAccount() {
    users().invite(new User.Link("corp", "once"), "once-a", "A", Optional.empty());

    assertThatThrownBy(
            () -> users().invite(new User.Link("corp", "once"), "once-b", "B", Optional.empty()))
        .isInstanceOf(StoreException.class)
        .satisfies(e -> assertThat(((StoreException) e).isUniqueViolation()).isTrue());
  }

  @Test
  void aSignInStoresTheNameEmailVerificationGroupsAndTime() {
    User u =
        users().invite(new User.Link("corp", "refresh"), "refresh-me", "Old", Optional.empty());

    User after =
        users()
            .signedInThroughUpstream(
                u.id(), "New Name", Optional.of("new@corp.example"), true, List.of("ops", "a b"));

    assertThat(after.displayName()).isEqualTo("New Name");
    assertThat(after.email()).contains("new@corp.example");
    assertThat(after.emailVerified()).isTrue();
    assertThat(after.groups()).containsExactly("ops", "a b");
    assertThat(after.lastSignInAt()).contains(server.clock.instant());
    assertThat(after.username()).isEqualTo("refresh-me");
  }
}
