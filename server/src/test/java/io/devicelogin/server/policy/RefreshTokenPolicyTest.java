package io.devicelogin.server.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.protocol.OAuthProblem;
import org.junit.jupiter.api.Test;

/**
 * When a grant gets refresh tokens, and that the pages say "stay signed in" exactly then: by
 * default only with {@code offline_access} (OpenID Connect Core §11), or as the client's {@code
 * refresh_tokens} says.
 */
class RefreshTokenPolicyTest {
  private static final Scope WITH = Scope.of("openid", "profile", "offline_access");
  private static final Scope WITHOUT = Scope.of("openid", "profile");

  private static ClientPolicy client(RefreshTokenPolicy refreshTokens) {
    ClientPolicy d = ClientRegistry.publicClient("c", "C", WITH);
    return new ClientPolicy(
        d.clientId(),
        d.name(),
        d.allowedScopes(),
        d.deviceGrant(),
        refreshTokens,
        d.deviceCodeLifetime(),
        d.pollInterval(),
        d.accessTokenLifetime(),
        d.refreshIdleLifetime(),
        d.refreshMaxLifetime(),
        d.secretSha256(),
        d.introspection());
  }

  @Test
  void byDefaultOnlyAGrantHoldingOfflineAccessStaysSignedIn() {
    ClientPolicy byDefault = ClientRegistry.publicClient("c", "C", WITH);
    assertThat(byDefault.refreshTokens()).isEqualTo(RefreshTokenPolicy.OFFLINE_ACCESS);
    assertThat(byDefault.staysSignedIn(WITH)).isTrue();
    assertThat(byDefault.staysSignedIn(WITHOUT)).isFalse();
    assertThat(byDefault.staysSignedIn(Scope.empty())).isFalse();
  }

  @Test
  void alwaysAndNeverIgnoreTheScope() {
    assertThat(client(RefreshTokenPolicy.ALWAYS).staysSignedIn(WITHOUT)).isTrue();
    assertThat(client(RefreshTokenPolicy.ALWAYS).staysSignedIn(Scope.empty())).isTrue();
    assertThat(client(RefreshTokenPolicy.NEVER).staysSignedIn(WITH)).isFalse();
  }

  @Test
  void onlyAClientThatNeverGetsRefreshTokensIsRefusedTheRefreshGrant() {
    client(RefreshTokenPolicy.ALWAYS).requireRefreshTokens();
    client(RefreshTokenPolicy.OFFLINE_ACCESS).requireRefreshTokens();
    assertThatThrownBy(() -> client(RefreshTokenPolicy.NEVER).requireRefreshTokens())
        .isInstanceOfSatisfying(
            OAuthProblem.class, p -> assertThat(p.code()).isEqualTo("unauthorized_client"));
  }

  @Test
  void thePersonIsShownOfflineAccessExactlyWhenTheGrantStaysSignedIn() {
    for (RefreshTokenPolicy policy : RefreshTokenPolicy.values()) {
      ClientPolicy c = client(policy);
      for (Scope scope : new Scope[] {WITH, WITHOUT, Scope.of("offline_access"), Scope.empty()}) {
        Scope shown = c.asShownToThePerson(scope);
        assertThat(shown.contains("offline_access"))
            .as("%s shown for %s", policy, scope)
            .isEqualTo(c.staysSignedIn(scope));
        assertThat(shown.without(Scope.of("offline_access")))
            .as("the rest of the scope is shown as it is")
            .isEqualTo(scope.without(Scope.of("offline_access")));
      }
    }
  }

  @Test
  void everyPolicyIsNamedInTheConfigurationFile() {
    for (RefreshTokenPolicy policy : RefreshTokenPolicy.values()) {
      assertThat(RefreshTokenPolicy.named(policy.configName())).contains(policy);
    }
    assertThat(RefreshTokenPolicy.named("sometimes")).isEmpty();
    assertThat(RefreshTokenPolicy.named("ALWAYS")).isEmpty();
  }
}
