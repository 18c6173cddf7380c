package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.devicelogin.client.Secret;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.Grant;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.Tokens;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import io.devicelogin.server.web.Terminal.Code;
import io.devicelogin.server.web.Terminal.Poll;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every token names the human behind the workload (issue 14, item 5): {@code sub}, {@code
 * client_id}, the grant id {@code gid}, {@code idp} (absent for a local password), {@code
 * auth_time} and {@code amr} (RFC 9068 §2.2.1), kept on the grant at approval so that refreshed
 * tokens say the same, and introspection (RFC 7662) returns them too. The terminal's {@code
 * device_name} is shown, escaped, on the consent and account pages and to administrators, who can
 * go from a token's {@code gid} to the person.
 */
@ServerOnEachBackend(minutesBeforeEachTest = 1)
class HumanBehindTheTokenTest {
  private static final String DEVICE = "build-01 (Linux 6.1)";

  @ServerUnderTest private static TestServer server;

  private record Approved(Tokens tokens, Instant signedInAt, Browser browser, Page consent) {}

  /** The demo user signs in with the password and approves; the terminal then polls. */
  private static Approved approve(Terminal terminal, Code code, Runnable beforeApproving) {
    Browser browser = new Browser(server);
    Instant signedInAt = server.clock.instant();
    Page consent =
        Flows.toConsent(browser, code.userCode(), "demo", Secret.of(server.demoPassword));
    beforeApproving.run();
    server.clock.advance(Duration.ofSeconds(30));
    assertThat(Flows.decide(browser, consent, "approve").status()).isEqualTo(200);
    Poll poll = terminal.poll(code);
    assertThat(poll.status()).as(poll.json().toString()).isEqualTo(200);
    JsonNode json = poll.json();
    Tokens tokens =
        new Tokens(
            json.get("access_token").asText(),
            json.path("refresh_token").asText(null),
            json.get("scope").asText(),
            json.get("expires_in").asLong(),
            json);
    return new Approved(tokens, signedInAt, browser, consent);
  }

  private static JWTClaimsSet claims(String accessToken) throws Exception {
    return SignedJWT.parse(accessToken).getJWTClaimsSet();
  }

  @Test
  void aPasswordApprovalsTokensCarryTheApproverAmrAndAuthTimeAndNoIdpAlsoAfterRefresh()
      throws Exception {
    Terminal terminal = new Terminal(server);
    Code code = terminal.requestCode("openid offline_access", DEVICE);
    Approved approved = approve(terminal, code, () -> {});
    String grantId = server.grantIdOf(approved.tokens().accessToken());

    JWTClaimsSet first = claims(approved.tokens().accessToken());
    assertThat(first.getSubject()).isEqualTo(server.demoUser().id());
    assertThat(first.getStringClaim("client_id")).isEqualTo(TestClients.CLI);
    assertThat(first.getStringClaim("gid")).isEqualTo(grantId);
    assertThat(first.getStringListClaim("amr")).containsExactly("pwd");
    assertThat(first.getLongClaim("auth_time")).isEqualTo(approved.signedInAt().getEpochSecond());
    assertThat(first.getClaim("idp")).as("a local password names no upstream").isNull();

    server.clock.advance(Duration.ofMinutes(20));
    OAuthCalls oauth = server.oauth();
    Tokens refreshed = OAuthCalls.tokens(oauth.refresh(approved.tokens()));
    JWTClaimsSet second = claims(refreshed.accessToken());
    assertThat(second.getJWTID()).isNotEqualTo(first.getJWTID());
    for (String claim : List.of("sub", "client_id", "gid", "amr", "auth_time")) {
      assertThat(second.getClaim(claim)).as(claim).isEqualTo(first.getClaim(claim));
    }
  }

  @Test
  void anUpstreamApprovalsTokensAndIntrospectionNameTheUpstreamAndHowThePersonSignedIn()
      throws Exception {
    Terminal terminal = new Terminal(server);
    Code code = terminal.requestCode("openid offline_access", DEVICE);
    // What an upstream sign-in leaves behind: the account linked, the session marked with the
    // upstream and its amr.
    String demo = server.demoUser().id();
    Approved approved =
        approve(
            terminal,
            code,
            () -> {
              server
                  .jdbc()
                  .update(
                      "UPDATE users SET upstream = 'corp', subject = '00u42' WHERE id = ?", demo);
              server
                  .jdbc()
                  .update(
                      "UPDATE browser_sessions SET idp = 'corp', amr = 'pwd mfa' WHERE user_id = ?",
                      demo);
            });
    try {
      JWTClaimsSet jwt = claims(approved.tokens().accessToken());
      assertThat(jwt.getStringClaim("idp")).isEqualTo("corp");
      assertThat(jwt.getStringListClaim("amr")).containsExactly("pwd", "mfa");

      OAuthCalls oauth = server.oauth();
      JsonNode access = oauth.introspect(approved.tokens().accessToken()).json();
      assertThat(access.get("active").asBoolean()).isTrue();
      assertThat(access.get("sub").asText()).isEqualTo(demo);
      assertThat(access.get("client_id").asText()).isEqualTo(TestClients.CLI);
      assertThat(access.get("gid").asText()).isEqualTo(jwt.getStringClaim("gid"));
      assertThat(access.get("idp").asText()).isEqualTo("corp");
      assertThat(access.get("auth_time").asLong())
          .isEqualTo(approved.signedInAt().getEpochSecond());
      assertThat(access.get("amr").toString()).isEqualTo("[\"pwd\",\"mfa\"]");

      JsonNode refresh = oauth.introspect(approved.tokens().refreshToken()).json();
      assertThat(refresh.get("active").asBoolean()).isTrue();
      for (String member : List.of("sub", "client_id", "gid", "idp", "auth_time", "amr")) {
        assertThat(refresh.get(member)).as(member).isEqualTo(access.get(member));
      }

      Grant grant = server.context().tokens().findGrant(jwt.getStringClaim("gid")).orElseThrow();
      assertThat(grant.idpSubject()).isEqualTo("00u42");
      AuditEvent approval =
          server.context().audit().find(demo, null, null, 50).stream()
              .filter(e -> e.event() == AuditEvent.Type.APPROVED)
              .filter(e -> grant.id().equals(e.grantId()))
              .findFirst()
              .orElseThrow();
      assertThat(approval.idp() + ":" + approval.idpSubject()).isEqualTo("corp:00u42");
      Page admin = adminBrowser().get("/admin/grants/" + grant.id());
      assertThat(admin.status()).isEqualTo(200);
      assertThat(admin.text()).contains("demo · corp:00u42").contains("corp, subject 00u42");
    } finally {
      server.jdbc().update("UPDATE users SET upstream = NULL, subject = NULL WHERE id = ?", demo);
    }
  }

  @Test
  void theDeviceNameIsKeptCleanedAndShownEscapedOnConsentAccountAndAdminPages() {
    // Control characters are refused with the whole form (FormRequest); these are not.
    String sent = "build-01 <b>x</b>\u202E\u200B\t(Linux \u00A0 6.1)";
    String kept = "build-01 <b>x</b> (Linux 6.1)";
    String escaped = "build-01 &lt;b&gt;x&lt;/b&gt; (Linux 6.1)";
    Terminal terminal = new Terminal(server);
    Code code = terminal.requestCode("openid", sent);
    assertThat(server.pending(code.userCode()).deviceName()).isEqualTo(kept);

    Approved approved = approve(terminal, code, () -> {});

    assertThat(approved.consent().body())
        .contains("Device")
        .contains(escaped)
        .doesNotContain("<b>x");
    Grant grant =
        server
            .context()
            .tokens()
            .findGrant(server.grantIdOf(approved.tokens().accessToken()))
            .orElseThrow();
    assertThat(grant.deviceName()).isEqualTo(kept);
    Page account = approved.browser().get("/account");
    assertThat(account.body()).contains(escaped).doesNotContain("<b>x");
    assertThat(adminBrowser().get("/admin/grants/" + grant.id()).body()).contains(escaped);
  }

  @Test
  void aRequestWithoutADeviceNameStillWorksAndShowsNone() {
    Terminal terminal = new Terminal(server);
    Code code = terminal.requestCode("openid");
    Approved approved = approve(terminal, code, () -> {});
    assertThat(approved.consent().text()).doesNotContain("Device");
  }

  @Test
  void anAdministratorGoesFromAGrantIdToThePersonTheApprovalAndTheTerminalsRequest() {
    Terminal terminal = new Terminal(server);
    Code code = terminal.requestCode("openid offline_access", DEVICE);
    Approved approved = approve(terminal, code, () -> {});
    String grantId = server.grantIdOf(approved.tokens().accessToken());
    Browser admin = adminBrowser();

    Page search = admin.get("/admin/grants?id=" + grantId);
    assertThat(search.status()).isEqualTo(303);
    assertThat(search.location()).hasValue("/admin/grants/" + grantId);
    Page page = admin.follow(search);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.text())
        .contains(grantId)
        .contains("Approved by demo")
        .contains("a password of this server (amr pwd)")
        .contains("Requested by the CLI")
        .contains("devicelogin/0.1 (linux; test terminal)")
        .contains(DEVICE)
        .contains("devicelogin-cli")
        .contains("openid")
        .contains("Active");
  }

  @Test
  void anUnknownGrantIdIsAReadableNotFound() {
    Browser admin = adminBrowser();
    for (String id : List.of("00000000-0000-0000-0000-000000000000", "not-an-id", "%3Cscript%3E")) {
      Page page = admin.get("/admin/grants/" + id);
      assertThat(page.status()).as(id).isEqualTo(404);
      assertThat(page.text()).contains("No such grant");
    }
  }

  @Test
  void onlyAdministratorsMayLookAGrantUp() {
    Terminal terminal = new Terminal(server);
    Code code = terminal.requestCode("openid");
    String grantId = server.grantIdOf(approve(terminal, code, () -> {}).tokens().accessToken());
    String username = "notadmin" + System.nanoTime();
    Secret password = server.createUser(username, false);
    Browser someone = new Browser(server);
    someone.signIn(username, password);

    Page page = someone.get("/admin/grants/" + grantId);

    assertThat(page.status()).isEqualTo(403);
    assertThat(page.text()).contains("Administrators only").doesNotContain(grantId);
    Page anonymous = new Browser(server).get("/admin/grants/" + grantId);
    assertThat(anonymous.status()).isEqualTo(303);
    assertThat(anonymous.location())
        .hasValueSatisfying(l -> assertThat(l).startsWith("/login?next="));
  }

  private static Browser adminBrowser() {
    Browser admin = new Browser(server);
    admin.signInAsDemo();
    return admin;
  }
}
