package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.User;
import io.devicelogin.server.testing.StoreSnapshot;
import io.devicelogin.server.testing.TestIssuer;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing in through an upstream OpenID Connect provider, over real HTTP against {@link
 * TestIssuer}s: the button, the round trip that keeps where the person was going, the linked
 * account, and every refusal as a readable page after which nothing has changed.
 */
@ExtendWith(NoSecretsInOutput.class)
class UpstreamSignInTest {
  private static final String STRICT_SECRET = IssuedSecrets.fresh("upstream-secret-");

  @RegisterExtension static final TestIssuer CORP = new TestIssuer("devicelogin", Optional.empty());

  @RegisterExtension
  static final TestIssuer STRICT = new TestIssuer("devicelogin-strict", Optional.of(STRICT_SECRET));

  @RegisterExtension
  static final TestIssuer INVITED = new TestIssuer("devicelogin", Optional.empty());

  @TempDir static Path configDir;
  private static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    Files.writeString(configDir.resolve("strict-secret"), STRICT_SECRET + "\n");
    String config =
        """
        { "upstreams": [
            { "name": "corp", "display_name": "Corp SSO", "issuer": "%s",
              "client_id": "devicelogin" },
            { "name": "strict", "display_name": "Strict SSO", "issuer": "%s",
              "client_id": "devicelogin-strict", "client_secret_file": "strict-secret",
              "allowed_email_domains": ["corp.example"], "require_verified_email": true },
            { "name": "invited", "display_name": "Invited SSO", "issuer": "%s",
              "client_id": "devicelogin", "provisioning": "invite" },
            { "name": "broken", "display_name": "Broken SSO", "issuer": "http://127.0.0.1:1",
              "client_id": "devicelogin" } ] }
        """
            .formatted(CORP.issuer(), STRICT.issuer(), INVITED.issuer());
    Path file = configDir.resolve("config.json");
    Files.writeString(file, config);
    server = TestServer.start(List.of("--config", file.toString()));
    for (TestIssuer issuer : List.of(CORP, STRICT, INVITED)) {
      issuer.useClock(server.clock);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theSignInPageShowsAButtonPerUpstreamBesideThePasswordForm() {
    Page page = new Browser(server).shown("/login?next=/device");

    assertThat(page.text())
        .contains("Sign in with Corp SSO", "Sign in with Strict SSO", "Username", "Password");
    assertThat(page.body()).contains("href=\"/login/corp?next=%2Fdevice\"");
  }

  @Test
  void theFirstSignInCreatesTheLinkedAccountAndGoesBackToTheCodeThePersonTyped() {
    CORP.signsInAs(
        Map.of(
            "sub", "sub-first",
            "preferred_username", "first.person",
            "name", "First Person",
            "email", "first@corp.example",
            "email_verified", true,
            "groups", List.of("ops", "dev"),
            "amr", List.of("pwd", "mfa")));
    Browser browser = new Browser(server);
    String next = "/device?user_code=BCDF-GHJK";

    Page back = signInThrough(browser, CORP, "corp", next);

    assertThat(back.status()).isEqualTo(303);
    assertThat(back.location()).contains(next);
    User user =
        server.context().users().findByLink(new User.Link("corp", "sub-first")).orElseThrow();
    assertThat(user.username()).isEqualTo("first.person");
    assertThat(user.displayName()).isEqualTo("First Person");
    assertThat(user.email()).contains("first@corp.example");
    assertThat(user.emailVerified()).isTrue();
    assertThat(user.groups()).containsExactly("ops", "dev");
    assertThat(user.lastSignInAt()).isPresent();
    assertThat(
            server
                .jdbc()
                .query(
                    "SELECT idp, amr FROM browser_sessions WHERE user_id = ?",
                    r -> r.getString(1) + "/" + r.getString(2),
                    user.id()))
        .containsExactly("corp/pwd mfa");
    AuditEvent signedIn =
        server.context().audit().find(user.id(), null, null, 10).stream()
            .filter(e -> e.event() == AuditEvent.Type.SIGNED_IN)
            .findFirst()
            .orElseThrow();
    assertThat(signedIn.idp()).isEqualTo("corp");
    assertThat(signedIn.idpSubject()).isEqualTo("sub-first");
    assertThat(browser.shown("/account").text()).contains("Signed in with Corp SSO as sub-first");
  }

  @Test
  void theAdminPageShowsTheUpstreamAndSubjectBehindAnAccount() {
    CORP.signsInAs(Map.of("sub", "sub-shown", "preferred_username", "shown"));
    signInThrough(new Browser(server), CORP, "corp", "/account");
    Browser admin = new Browser(server);
    admin.signInAsDemo();

    assertThat(admin.shown("/admin").text()).contains("shown (corp:sub-shown)");
  }

  @Test
  void
      anAdministratorWithoutAPasswordConfirmsBySigningInAgainAtTheUpstreamNotByReusingItsSession() {
    CORP.signsInAs(Map.of("sub", "sub-admin", "preferred_username", "upstream-admin"));
    Browser browser = new Browser(server);
    signInThrough(browser, CORP, "corp", "/account");
    User admin =
        server.context().users().findByLink(new User.Link("corp", "sub-admin")).orElseThrow();
    server.context().users().setAdmin(admin.id(), true);
    server.clock.advance(Defaults.ADMIN_REAUTHENTICATION.plusMinutes(1));

    Page asked = browser.shown("/admin");
    assertThat(asked.text()).contains("Sign in again with Corp SSO").doesNotContain("Password");
    String again = "/login/corp?" + UpstreamPages.AGAIN + "&next=%2Fadmin";
    assertThat(asked.body()).contains("href=\"" + again.replace("&", "&amp;") + "\"");

    Page toProvider = browser.get(again);
    assertThat(toProvider.status()).isEqualTo(303);
    Page fromProvider = browser.get(toProvider.location().orElseThrow());
    assertThat(CORP.lastAuthorizationRequest())
        .containsEntry("prompt", "login")
        .containsEntry("max_age", "0");
    Page back = browser.get(local(fromProvider.location().orElseThrow()));
    assertThat(back.location()).contains("/admin");
    assertThat(browser.shown("/admin").text()).doesNotContain("Sign in again with");
  }

  @Test
  void theAuthorizationRequestUsesPkceS256StateNonceAndTheCallbackUnderTheIssuer() {
    CORP.signsInAs(Map.of("sub", "sub-request"));
    Browser browser = new Browser(server);
    Page toProvider = browser.get("/login/corp");
    assertThat(toProvider.status()).isEqualTo(303);
    browser.get(toProvider.location().orElseThrow());

    Map<String, String> asked = CORP.lastAuthorizationRequest();
    assertThat(asked.get("redirect_uri")).isEqualTo(server.issuer() + "/login/corp/callback");
    assertThat(asked.get("code_challenge_method")).isEqualTo("S256");
    assertThat(asked.get("code_challenge")).hasSize(43);
    assertThat(asked.get("state")).hasSize(43);
    assertThat(asked.get("nonce")).hasSize(43);
    assertThat(asked.get("scope")).isEqualTo("openid email profile");
    assertThat(asked).doesNotContainKey("code_verifier").doesNotContainKey("prompt");
    assertThat(toProvider.location().orElseThrow()).doesNotContain("code_verifier");
  }

  @Test
  void claimsAreRefreshedAtEachSignInOfTheSameAccount() {
    CORP.signsInAs(
        Map.of("sub", "sub-refresh", "preferred_username", "refresh", "groups", List.of("a")));
    signInThrough(new Browser(server), CORP, "corp", "/account");
    CORP.signsInAs(
        Map.of(
            "sub", "sub-refresh",
            "preferred_username", "renamed",
            "name", "New Name",
            "groups", List.of("b", "c")));

    signInThrough(new Browser(server), CORP, "corp", "/account");

    User user =
        server.context().users().findByLink(new User.Link("corp", "sub-refresh")).orElseThrow();
    assertThat(user.username()).as("the username stays").isEqualTo("refresh");
    assertThat(user.displayName()).isEqualTo("New Name");
    assertThat(user.groups()).containsExactly("b", "c");
  }

  @Test
  void aUsernameTakenByAnotherAccountGetsASuffixAndNeverThatAccount() {
    CORP.signsInAs(Map.of("sub", "sub-demo-lookalike", "preferred_username", "demo"));

    signInThrough(new Browser(server), CORP, "corp", "/account");

    User linked =
        server
            .context()
            .users()
            .findByLink(new User.Link("corp", "sub-demo-lookalike"))
            .orElseThrow();
    assertThat(linked.username()).isEqualTo("demo-2");
    assertThat(linked.id()).isNotEqualTo(server.demoUser().id());
    assertThat(server.demoUser().link()).isEmpty();
  }

  @Test
  void aLinkedAccountHasNoPasswordThatSignsIn() {
    CORP.signsInAs(Map.of("sub", "sub-nopw", "preferred_username", "no-password"));
    signInThrough(new Browser(server), CORP, "corp", "/account");

    Page page = new Browser(server).signIn("no-password", Secret.of(IssuedSecrets.fresh("pw-")));

    assertThat(page.status()).isEqualTo(401);
    assertThat(page.text()).contains("Wrong username or password.");
  }

  @Test
  void aCallbackWhoseStateDiffersIsRefusedAndChangesNothing() {
    CORP.signsInAs(Map.of("sub", "sub-state"));
    Browser browser = new Browser(server);
    Page toProvider = browser.get("/login/corp");
    Page back = browser.get(toProvider.location().orElseThrow());
    String callback =
        local(back.location().orElseThrow()).replaceAll("state=[^&]*", "state=forged");
    StoreSnapshot before = StoreSnapshot.of(server);

    Page page = browser.get(callback);

    assertThat(page.status()).isEqualTo(400);
    assertThat(page.text()).contains("does not belong to the sign-in started in this browser");
    assertNoAccount("sub-state");
    StoreSnapshot.of(server).assertUnchangedSince(before, AuditEvent.Type.SIGN_IN_FAILED);
  }

  @Test
  void aCallbackInABrowserWithoutASessionIsRefusedAndChangesNothing() {
    CORP.signsInAs(Map.of("sub", "sub-nosession"));
    Browser victim = new Browser(server);
    Page toProvider = victim.get("/login/corp");
    Page back = victim.get(toProvider.location().orElseThrow());
    StoreSnapshot before = StoreSnapshot.of(server);

    // The attacker's code and state, in another browser (login CSRF).
    Page page = new Browser(server).get(local(back.location().orElseThrow()));

    assertThat(page.status()).isEqualTo(400);
    assertThat(page.text()).contains("no session", "Nothing was changed");
    assertNoAccount("sub-nosession");
    StoreSnapshot.of(server).assertUnchangedSince(before);
  }

  @Test
  void aCallbackReplayedAfterItsSignInIsRefused() {
    CORP.signsInAs(Map.of("sub", "sub-replay"));
    Browser browser = new Browser(server);
    Page toProvider = browser.get("/login/corp");
    String callback =
        local(browser.get(toProvider.location().orElseThrow()).location().orElseThrow());
    assertThat(browser.get(callback).status()).isEqualTo(303);

    Page again = browser.get(callback);

    assertThat(again.status()).isEqualTo(400);
    assertThat(again.text()).contains("No sign-in through Corp SSO was started");
  }

  @Test
  void aSignInCancelledAtTheProviderShowsAPageAndChangesNothing() {
    CORP.answersWithError("access_denied");
    StoreSnapshot before = StoreSnapshot.of(server);
    try {
      Page page = signInThrough(new Browser(server), CORP, "corp", "/account");

      assertThat(page.status()).isEqualTo(403);
      assertThat(page.text()).contains("You were not signed in", "cancelled or refused");
    } finally {
      CORP.signsInAs(Map.of("sub", "sub-after-cancel"));
    }
    StoreSnapshot.of(server).assertUnchangedSince(before, AuditEvent.Type.SIGN_IN_FAILED);
  }

  @Test
  void anUnverifiedEmailIsRefusedWhereVerifiedOnesAreRequired() {
    STRICT.signsInAs(
        Map.of("sub", "sub-unverified", "email", "u@corp.example", "email_verified", false));
    StoreSnapshot before = StoreSnapshot.of(server);

    Page page = signInThrough(new Browser(server), STRICT, "strict", "/account");

    assertThat(page.status()).isEqualTo(403);
    assertThat(page.text()).contains("require_verified_email");
    assertNoAccount("sub-unverified");
    StoreSnapshot.of(server).assertUnchangedSince(before, AuditEvent.Type.SIGN_IN_FAILED);
  }

  @Test
  void anEmailOutsideTheAllowedDomainsIsRefused() {
    STRICT.signsInAs(
        Map.of("sub", "sub-outside", "email", "x@elsewhere.example", "email_verified", true));

    Page page = signInThrough(new Browser(server), STRICT, "strict", "/account");

    assertThat(page.status()).isEqualTo(403);
    assertThat(page.text()).contains("allowed_email_domains", "corp.example");
    assertNoAccount("sub-outside");
  }

  @Test
  void aVerifiedEmailOfAnAllowedDomainSignsInThroughAConfidentialClient() {
    STRICT.signsInAs(
        Map.of("sub", "sub-inside", "email", "in@Corp.Example", "email_verified", "true"));

    Page page = signInThrough(new Browser(server), STRICT, "strict", "/account");

    assertThat(page.status()).as(page.text()).isEqualTo(303);
    assertThat(server.context().users().findByLink(new User.Link("strict", "sub-inside")))
        .isPresent();
  }

  @Test
  void anInviteOnlyUpstreamRefusesAnUnknownSubjectAndLetsAnInvitedOneIn() {
    INVITED.signsInAs(Map.of("sub", "sub-guest", "preferred_username", "guest"));

    Page refused = signInThrough(new Browser(server), INVITED, "invited", "/account");

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.text()).contains("Only invited people", "invited:sub-guest");
    assertNoAccount("sub-guest");

    server
        .context()
        .users()
        .invite(new User.Link("invited", "sub-guest"), "guest", "Guest", Optional.empty());
    Page admitted = signInThrough(new Browser(server), INVITED, "invited", "/account");

    assertThat(admitted.status()).isEqualTo(303);
  }

  @Test
  void aDisabledLinkedAccountIsRefused() {
    User invited =
        server
            .context()
            .users()
            .invite(new User.Link("corp", "sub-disabled"), "disabled-one", "D", Optional.empty());
    server.context().users().setStatus(invited.id(), User.Status.DISABLED);
    CORP.signsInAs(Map.of("sub", "sub-disabled"));

    Page page = signInThrough(new Browser(server), CORP, "corp", "/account");

    assertThat(page.status()).isEqualTo(403);
    assertThat(page.text()).contains("This account is disabled");
  }

  @Test
  void aBrokenUpstreamShowsAPageAndPasswordsStillSignIn() {
    Browser browser = new Browser(server);

    Page broken = browser.get("/login/broken?next=/account");

    assertThat(broken.status()).isEqualTo(503);
    assertThat(broken.text()).contains("Broken SSO cannot be reached", "Nothing was changed");
    assertThat(browser.signInAsDemo().status()).isEqualTo(303);
  }

  @Test
  void anUnknownUpstreamIsAPageNotFound() {
    Page page = new Browser(server).get("/login/nope");

    assertThat(page.status()).isEqualTo(404);
    assertThat(page.text()).contains("No identity provider named 'nope'");
  }

  /** Button, provider, callback: the callback's answer. */
  private static Page signInThrough(Browser browser, TestIssuer issuer, String name, String next) {
    Page toProvider =
        browser.get("/login/" + name + "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
    assertThat(toProvider.status()).as(toProvider.text()).isEqualTo(303);
    assertThat(toProvider.location().orElseThrow()).startsWith(issuer.issuer() + "/authorize?");
    Page fromProvider = browser.get(toProvider.location().orElseThrow());
    assertThat(fromProvider.status()).isEqualTo(302);
    return browser.get(local(fromProvider.location().orElseThrow()));
  }

  /**
   * The path and query of a URL of this server (its issuer says localhost, the browser 127.0.0.1).
   */
  private static String local(String url) {
    URI uri = URI.create(url);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private static void assertNoAccount(String subject) {
    for (String upstream : List.of("corp", "strict", "invited")) {
      assertThat(server.context().users().findByLink(new User.Link(upstream, subject))).isEmpty();
    }
  }
}
