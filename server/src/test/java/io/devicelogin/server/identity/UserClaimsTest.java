package io.devicelogin.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.protocol.StandardScope;
import io.devicelogin.server.store.User;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code /userinfo}'s claims, released strictly by scope (OpenID Connect Core §5.4): {@code sub}
 * always, the name only with {@code profile}, the address only with {@code email}.
 */
class UserClaimsTest {
  private static final User ADA =
      new User(
          "id-1",
          "ada",
          "Ada Lovelace",
          Optional.of("ada@example.com"),
          false,
          User.Status.ACTIVE,
          Instant.EPOCH);

  @Test
  void openidAloneReleasesTheSubjectOnly() {
    assertThat(UserClaims.releasedBy(Scope.of("openid"), ADA)).containsOnlyKeys("sub");
    assertThat(UserClaims.releasedBy(Scope.of("openid", "offline_access"), ADA))
        .containsOnlyKeys("sub");
  }

  @Test
  void profileReleasesTheNamesAndEmailTheAddress() {
    assertThat(UserClaims.releasedBy(Scope.of("openid", "profile"), ADA))
        .containsExactly(
            Map.entry("sub", "id-1"),
            Map.entry("preferred_username", "ada"),
            Map.entry("name", "Ada Lovelace"));
    assertThat(UserClaims.releasedBy(Scope.of("openid", "email"), ADA))
        .containsOnlyKeys("sub", "email")
        .containsEntry("email", "ada@example.com");
    assertThat(UserClaims.releasedBy(Scope.of("openid", "profile", "email"), ADA))
        .containsOnlyKeys("sub", "preferred_username", "name", "email");
  }

  @Test
  void anAccountWithoutAnAddressReleasesNoneUnderEmail() {
    User noEmail =
        new User("id-2", "bob", "Bob", Optional.empty(), false, User.Status.ACTIVE, Instant.EPOCH);
    assertThat(UserClaims.releasedBy(Scope.of("openid", "email"), noEmail)).containsOnlyKeys("sub");
  }

  @Test
  void scopesOfOtherApplicationsReleaseNothingMore() {
    assertThat(UserClaims.releasedBy(Scope.of("openid", "inventory:read", "admin"), ADA))
        .containsOnlyKeys("sub");
  }

  @Test
  void everyClaimAnAccountHoldsIsTabledUnderTheOneScopeThatReleasesIt() {
    Scope every = Scope.of("openid", "profile", "email", "offline_access");
    for (String claim : UserClaims.releasedBy(every, ADA).keySet()) {
      assertThat(StandardScope.values())
          .as(claim)
          .filteredOn(s -> s.claims().contains(claim))
          .hasSize(1);
    }
  }
}
