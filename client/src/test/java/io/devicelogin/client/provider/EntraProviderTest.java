package io.devicelogin.client.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.Cancellation;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.OAuthErrorException;
import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.testing.NoSecretsInOutput;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What only Entra ID does ({@link EntraFake}): its own error codes, and the tenant in the path. */
@ExtendWith(NoSecretsInOutput.class)
class EntraProviderTest {

  @Test
  void entraBadVerificationCodeStopsPolling() {
    try (EntraFake entra = new EntraFake()) {
      entra.answerDeviceCode(900, 5);
      entra.answerPolls(entra.error("bad_verification_code"));
      DeviceLogin login = entra.login().build();
      DeviceAuthorization authorization = login.start();

      assertThatThrownBy(() -> login.await(authorization))
          .isInstanceOfSatisfying(
              OAuthErrorException.class,
              e -> assertThat(e.code()).isEqualTo("bad_verification_code"));
      assertThat(entra.fixture.server.requests(entra.tokenPath)).hasSize(1);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "common",
        "organizations",
        "consumers",
        "72f988bf-86f1-41af-91ab-2d7cd011db47",
        "contoso.onmicrosoft.com",
        "login.contoso.com"
      })
  void entraTenantMayBeAnAliasAGuidOrADomain(String tenant) {
    AuthorizationServerMetadata metadata =
        Providers.entra(tenant).resolve(null, Cancellation.none());

    assertThat(metadata.deviceAuthorizationEndpoint())
        .contains(
            URI.create("https://login.microsoftonline.com/" + tenant + "/oauth2/v2.0/devicecode"));
    assertThat(metadata.tokenEndpoint())
        .isEqualTo(
            URI.create("https://login.microsoftonline.com/" + tenant + "/oauth2/v2.0/token"));
    assertThat(metadata.jwksUri())
        .contains(
            URI.create("https://login.microsoftonline.com/" + tenant + "/discovery/v2.0/keys"));
    assertThat(metadata.revocationEndpoint()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".",
        "..",
        "../common",
        "common/oauth2",
        "common?x=1",
        "common#frag",
        "%2e%2e",
        "con toso",
        "-common",
        "common.",
        "contoso..com",
        "evil.com\\common",
        "commön"
      })
  void entraTenantThatCouldLeaveItsPathSegmentIsRefused(String tenant) {
    assertThatThrownBy(() -> Providers.entra(tenant))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tenant");
  }

  @Test
  void entraNationalCloudAuthorityWithTrailingSlashGivesCleanPaths() {
    AuthorizationServerMetadata metadata =
        Providers.entra(URI.create("https://login.microsoftonline.us/"), "common")
            .resolve(null, Cancellation.none());

    assertThat(metadata.tokenEndpoint())
        .isEqualTo(URI.create("https://login.microsoftonline.us/common/oauth2/v2.0/token"));
    assertThat(Providers.entra("common").name()).isEqualTo("entra");
  }
}
