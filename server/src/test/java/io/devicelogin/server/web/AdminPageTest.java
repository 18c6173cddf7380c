package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.Grant;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import io.devicelogin.server.web.Terminal.Code;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin page: administrators only; every grant and the audit trail, filtered; revoke. */
@ExtendWith(NoSecretsInOutput.class)
class AdminPageTest {
  @AutoClose private final TestServer server = TestServer.start();
  private final Secret alicePassword = server.createUser("alice", false);

  private void approveAs(String username, Secret password) {
    Terminal terminal = new Terminal(server);
    Code code = terminal.requestCode("openid profile");
    Browser browser = new Browser(server);
    Page consent = Flows.toConsent(browser, code.userCode(), username, password);
    assertThat(Flows.decide(browser, consent, "approve").status()).isEqualTo(200);
    assertThat(terminal.poll(code).status()).isEqualTo(200);
  }

  @Test
  void refusesPeopleWhoAreNotAdministrators() {
    Browser alice = new Browser(server);
    alice.signIn("alice", alicePassword);
    Page page = alice.get("/admin");
    assertThat(page.status()).isEqualTo(403);
    assertThat(page.text()).contains("Administrators only");
    assertThat(alice.get("/account").body()).doesNotContain("href=\"/admin\"");

    approveAs("demo", Secret.of(server.demoPassword));
    Grant grant = server.context().tokens().grantsOf(server.demoUser().id()).get(0);
    Page account = alice.get("/account");
    Page revoke = alice.post("/admin/revoke", Map.of("csrf", account.csrf(), "grant", grant.id()));
    assertThat(revoke.status()).isEqualTo(403);
    assertThat(server.context().tokens().findGrant(grant.id()).orElseThrow().active()).isTrue();

    Page anonymous = new Browser(server).get("/admin");
    assertThat(anonymous.status()).isEqualTo(303);
    assertThat(anonymous.location()).hasValue("/login?next=%2Fadmin");
  }

  @Test
  void showsEveryGrantAndTheAuditTrailFilteredAndRevokes() {
    approveAs("demo", Secret.of(server.demoPassword));
    approveAs("alice", alicePassword);
    Grant alices =
        server
            .context()
            .tokens()
            .grantsOf(server.context().users().findByUsername("alice").orElseThrow().id())
            .get(0);

    Browser admin = new Browser(server);
    admin.signInAsDemo();
    assertThat(admin.shown("/admin").text())
        .contains("Grants 2")
        .contains("alice")
        .contains("demo")
        .contains("DEVICE_CODE_ISSUED")
        .contains("USER_CODE_ENTERED")
        .contains("APPROVED")
        .contains("TOKENS_ISSUED")
        .contains("SIGNED_IN");

    Page filtered = admin.get("/admin?user=alice&client=devicelogin-cli");
    assertThat(filtered.text())
        .contains("Grants 1")
        .contains("APPROVED")
        .doesNotContain("user:demo");
    assertThat(filtered.body()).contains("value=\"alice\"");

    Page unknown = admin.get("/admin?user=nobody");
    assertThat(unknown.text())
        .contains("There is no user named “nobody”")
        .contains("Grants 0")
        .contains("No events match");

    Page revoked =
        admin.post(
            "/admin/revoke",
            Map.of(
                "csrf",
                filtered.csrf(),
                "grant",
                alices.id(),
                "user",
                "alice",
                "client",
                "devicelogin-cli"));
    assertThat(revoked.status()).isEqualTo(303);
    assertThat(revoked.location()).hasValue("/admin?revoked=1&user=alice&client=devicelogin-cli");
    Page after = admin.follow(revoked);
    assertThat(after.text()).contains("Grant revoked.").contains("REVOKED").contains("admin:demo");
    assertThat(server.context().tokens().findGrant(alices.id()).orElseThrow().active()).isFalse();
    assertThat(server.context().audit().find(null, null, alices.id(), 10))
        .anySatisfy(
            e -> {
              assertThat(e.event()).isEqualTo(AuditEvent.Type.REVOKED);
              assertThat(e.actor()).isEqualTo("admin:demo");
            });
  }
}
