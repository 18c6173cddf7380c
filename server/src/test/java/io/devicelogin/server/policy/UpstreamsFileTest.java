package io.devicelogin.server.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.server.config.Defaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The configuration file's {@code "upstreams"} and {@code "local_accounts"}: every member, the
 * defaults, and a one-line message for each mistake. The secret is never in the file.
 */
class UpstreamsFileTest {
  @TempDir Path dir;

  private ClientRegistry load(String json, Map<String, String> env) throws IOException {
    Path f = dir.resolve("config.json");
    Files.writeString(f, json);
    return ClientsFile.read(f, env);
  }

  private void assertRejected(String json, Map<String, String> env, String... parts)
      throws IOException {
    Path f = dir.resolve("config.json");
    Files.writeString(f, json);
    assertThatThrownBy(() -> ClientsFile.read(f, env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContainingAll(parts)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  private static String upstream(String members) {
    return """
        { "upstreams": [ { "name": "corp", "issuer": "https://login.corp.example",
            "client_id": "devicelogin" %s } ] }
        """
        .formatted(members);
  }

  @Test
  void everyMemberIsRead() throws IOException {
    String secret = IssuedSecrets.fresh("corp-secret-");
    SignInMethods methods =
        load(
                """
            { "upstreams": [
                { "name": "corp", "display_name": "Corp SSO",
                  "issuer": "https://login.corp.example", "client_id": "devicelogin",
                  "client_secret_env": "CORP_OIDC_SECRET",
                  "scopes": ["openid", "email", "profile", "groups"],
                  "claims": { "username": "upn", "email": "mail", "name": "display",
                              "groups": "roles" },
                  "allowed_email_domains": ["Corp.Example"], "require_verified_email": true,
                  "provisioning": "invite" } ],
              "local_accounts": false }
            """,
                Map.of("CORP_OIDC_SECRET", secret))
            .signIn();

    assertThat(methods.localAccounts()).isFalse();
    UpstreamPolicy corp = methods.upstream("corp").orElseThrow();
    assertThat(corp.displayName()).isEqualTo("Corp SSO");
    assertThat(corp.issuer()).isEqualTo("https://login.corp.example");
    assertThat(corp.clientId()).isEqualTo("devicelogin");
    assertThat(corp.clientSecret().orElseThrow().revealForTransmission()).isEqualTo(secret);
    assertThat(corp.scopes()).containsExactly("openid", "email", "profile", "groups");
    assertThat(corp.claims())
        .isEqualTo(new UpstreamPolicy.Claims("upn", "mail", "display", "roles"));
    assertThat(corp.allowedEmailDomains()).containsExactly("corp.example");
    assertThat(corp.requireVerifiedEmail()).isTrue();
    assertThat(corp.provisioning()).isEqualTo(UpstreamPolicy.Provisioning.INVITE);
  }

  @Test
  void absentMembersTakeTheDefaultsAndNoSecretMakesAPublicClient() throws IOException {
    SignInMethods methods = load(upstream(""), Map.of()).signIn();

    assertThat(methods.localAccounts()).isTrue();
    UpstreamPolicy corp = methods.upstream("corp").orElseThrow();
    assertThat(corp.displayName()).isEqualTo("corp");
    assertThat(corp.clientSecret()).isEmpty();
    assertThat(corp.scopes()).isEqualTo(Defaults.UPSTREAM_SCOPES);
    assertThat(corp.claims()).isEqualTo(UpstreamPolicy.Claims.DEFAULTS);
    assertThat(corp.allowedEmailDomains()).isEmpty();
    assertThat(corp.requireVerifiedEmail()).isFalse();
    assertThat(corp.provisioning()).isEqualTo(UpstreamPolicy.Provisioning.AUTOMATIC);
  }

  @Test
  void withoutUpstreamsOnlyPasswordsSignIn() throws IOException {
    assertThat(load("{}", Map.of()).signIn()).isEqualTo(SignInMethods.LOCAL_ONLY);
  }

  @Test
  void theSecretFileIsReadBesideTheConfigurationFile() throws IOException {
    String secret = IssuedSecrets.fresh("file-secret-");
    Files.writeString(dir.resolve("corp.secret"), secret + "\n");

    UpstreamPolicy corp =
        load(upstream(", \"client_secret_file\": \"corp.secret\""), Map.of())
            .signIn()
            .upstream("corp")
            .orElseThrow();

    assertThat(corp.clientSecret().orElseThrow().revealForTransmission()).isEqualTo(secret);
  }

  @Test
  void aMissingEnvironmentVariableStopsTheStartNamingIt() throws IOException {
    assertRejected(
        upstream(", \"client_secret_env\": \"CORP_OIDC_SECRET\""),
        Map.of(),
        "upstream 'corp'",
        "CORP_OIDC_SECRET",
        "is not set");
  }

  @Test
  void aSecretInTheFileItselfIsRefused() throws IOException {
    assertRejected(upstream(", \"client_secret\": \"s3cr3t\""), Map.of(), "never in the file");
  }

  @Test
  void bothSecretSourcesAreRefused() throws IOException {
    assertRejected(
        upstream(", \"client_secret_env\": \"A\", \"client_secret_file\": \"b\""),
        Map.of("A", "x"),
        "not both");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://login.corp.example",
        "ftp://login.corp.example",
        "https://login.corp.example?tenant=1",
        "https://login.corp.example#x",
        "login.corp.example"
      })
  void anIssuerMustBeHttpsWithoutQueryOrFragment(String issuer) throws IOException {
    assertRejected(
        "{ \"upstreams\": [ { \"name\": \"corp\", \"issuer\": \"%s\", \"client_id\": \"x\" } ] }"
            .formatted(issuer),
        Map.of(),
        "issuer must be an https:// URL");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://localhost:9000", "http://127.0.0.1:9000/realms/test"})
  void plainHttpIsAllowedOnThisMachineForTests(String issuer) throws IOException {
    assertThat(
            load(
                    "{ \"upstreams\": [ { \"name\": \"t\", \"issuer\": \"%s\", \"client_id\": \"x\" } ] }"
                        .formatted(issuer),
                    Map.of())
                .signIn()
                .upstream("t")
                .orElseThrow()
                .issuer())
        .isEqualTo(issuer);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Corp", "corp sso", "corp_sso", "", "corp/x"})
  void aNameIsLowerCaseLettersDigitsAndDashes(String name) throws IOException {
    assertRejected(
        "{ \"upstreams\": [ { \"name\": \"%s\", \"issuer\": \"https://a.example\", \"client_id\": \"x\" } ] }"
            .formatted(name),
        Map.of(),
        "a-z, 0-9 and -");
  }

  @Test
  void anUnknownMemberIsRefused() throws IOException {
    assertRejected(upstream(", \"scope\": \"openid\""), Map.of(), "unknown member 'scope'");
  }

  @Test
  void anUnknownClaimNameMemberIsRefused() throws IOException {
    assertRejected(
        upstream(", \"claims\": { \"user\": \"upn\" }"), Map.of(), "unknown member 'user'");
  }

  @Test
  void scopesWithoutOpenidAreRefused() throws IOException {
    assertRejected(upstream(", \"scopes\": [\"email\"]"), Map.of(), "must hold openid");
  }

  @Test
  void anUnknownProvisioningIsRefused() throws IOException {
    assertRejected(upstream(", \"provisioning\": \"auto\""), Map.of(), "provisioning must be");
  }

  @Test
  void aDomainMustLookLikeOne() throws IOException {
    assertRejected(
        upstream(", \"allowed_email_domains\": [\"@corp\"]"), Map.of(), "not a domain name");
  }

  @Test
  void twoUpstreamsOfOneNameAreRefused() throws IOException {
    String one = "{ \"name\": \"corp\", \"issuer\": \"https://a.example\", \"client_id\": \"x\" }";
    assertRejected("{ \"upstreams\": [ " + one + ", " + one + " ] }", Map.of(), "configured twice");
  }

  @Test
  void noPasswordsAndNoUpstreamsIsRefused() throws IOException {
    assertRejected("{ \"local_accounts\": false }", Map.of(), "nobody could sign in");
  }

  @Test
  void theUpstreamsSurviveTheDemoClient() throws IOException {
    ClientRegistry registry =
        load(upstream(""), Map.of()).withIfAbsent(ClientRegistry.demoClient());

    assertThat(registry.signIn().upstreams())
        .extracting(UpstreamPolicy::name)
        .isEqualTo(List.of("corp"));
  }
}
