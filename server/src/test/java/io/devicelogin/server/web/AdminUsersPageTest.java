package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.User;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.DeviceCode;
import io.devicelogin.server.testing.OAuthCalls.Tokens;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * /admin/users: administrators only; the accounts, searched; disable (with every grant), enable,
 * unlock, make and unmake admin, each a POST with the session's CSRF token, audited with the
 * administrator as actor, then a redirect back; the last administrator cannot be unmade; an account
 * the configuration's "admins" names is an administrator without its flag.
 */
@ExtendWith(NoSecretsInOutput.class)
class AdminUsersPageTest {
  @AutoClose private final TestServer server = TestServer.start();
  private final Secret alicePassword = server.createUser("alice", false);

  private User alice() {
    return server.context().users().findByUsername("alice").orElseThrow();
  }

  private Page change(Browser browser, Page page, String username, String change) {
    return browser.post(
        AdminUsers.CHANGE,
        Map.of("csrf", page.csrf(), "username", username, "change", change, "q", ""));
  }

  @Test
  void refusesPeopleWhoAreNotAdministrators() {
    Browser browser = new Browser(server);
    browser.signIn("alice", alicePassword);
    assertThat(browser.get(AdminUsers.PATH).status()).isEqualTo(403);
    Page account = browser.get("/account");
    assertThat(change(browser, account, "demo", "disable").status()).isEqualTo(403);
    assertThat(server.demoUser().isActive()).isTrue();
  }

  @Test
  void listsAndSearchesTheAccountsAndIsLinkedFromAdmin() {
    Browser admin = new Browser(server);
    admin.signInAsDemo();
    assertThat(admin.shown(AdminPage.PATH).body()).contains("href=\"/admin/users\"");
    Page all = admin.shown(AdminUsers.PATH);
    assertThat(all.text()).contains("Accounts 2").contains("alice").contains("demo");
    Page found = admin.shown(AdminUsers.PATH + "?q=ALICE%40example");
    assertThat(found.text()).contains("Accounts 1").contains("alice@example.com");
    assertThat(found.body()).contains("href=\"/admin?user=alice\"");
    assertThat(admin.shown(AdminUsers.PATH + "?done=disable&who=Call+0800+now").text())
        .as("a crafted link puts no words on the page")
        .doesNotContain("Call 0800 now");
  }

  @Test
  void disablingOnThePageRevokesEveryGrantAndIsAuditedWithTheAdministrator() {
    OAuthCalls oauth = server.oauth();
    DeviceCode code = oauth.deviceCode();
    server.approve(code.userCode(), alice());
    Tokens tokens = OAuthCalls.tokens(oauth.poll(code));

    Browser admin = new Browser(server);
    admin.signInAsDemo();
    Page list = admin.shown(AdminUsers.PATH);
    Page disabled = change(admin, list, "alice", "disable");
    assertThat(disabled.status()).isEqualTo(303);
    assertThat(disabled.location()).hasValue("/admin/users?done=disable&who=alice");
    assertThat(admin.follow(disabled).text())
        .contains("alice disabled; its grants are revoked.")
        .contains("disabled");

    assertThat(alice().status()).isEqualTo(User.Status.DISABLED);
    assertThat(oauth.active(tokens.accessToken())).isFalse();
    assertThat(oauth.refresh(tokens).error()).isEqualTo("invalid_grant");
    assertThat(server.context().audit().find(alice().id(), null, null, 20))
        .anySatisfy(
            e -> {
              assertThat(e.event()).isEqualTo(AuditEvent.Type.ACCOUNT_DISABLED);
              assertThat(e.actor()).isEqualTo("admin:demo");
              assertThat(e.ip()).isNotNull();
            });

    Page enabled = change(admin, list, "alice", "enable");
    assertThat(enabled.location()).hasValue("/admin/users?done=enable&who=alice");
    assertThat(alice().isActive()).isTrue();
    assertThat(change(admin, list, "alice", "unlock").status()).isEqualTo(303);
    assertThat(change(admin, list, "alice", "make-admin").status()).isEqualTo(303);
    assertThat(alice().admin()).isTrue();
    assertThat(change(admin, list, "alice", "unmake-admin").status()).isEqualTo(303);
    assertThat(alice().admin()).isFalse();
  }

  @Test
  void theLastAdministratorIsNotUnmadeOrDisabledAndTheFormNeedsTheSessionsToken() {
    Browser admin = new Browser(server);
    admin.signInAsDemo();
    Page list = admin.shown(AdminUsers.PATH);
    Page refused = change(admin, list, "demo", "unmake-admin");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.text())
        .contains("last active administrator")
        .contains("Nothing was changed");
    assertThat(change(admin, list, "demo", "disable").status()).isEqualTo(409);
    assertThat(server.demoUser().admin()).isTrue();

    assertThat(change(admin, list, "nobody", "disable").status()).isEqualTo(404);
    Page forged =
        admin.post(
            AdminUsers.CHANGE, Map.of("csrf", "forged", "username", "alice", "change", "disable"));
    assertThat(forged.status()).isEqualTo(403);
    assertThat(alice().isActive()).isTrue();
  }

  @Test
  void anAccountTheConfigurationNamesIsAnAdministratorWithoutItsFlag(@TempDir Path dir)
      throws IOException {
    Path config = dir.resolve("config.json");
    Files.writeString(
        config,
        "{ \"clients\": [ { \"client_id\": \"devicelogin-cli\" } ], \"admins\": [\"carol\"] }");
    try (TestServer configured = TestServer.start(List.of("--config", config.toString()))) {
      Secret carol = configured.createUser("carol", false);
      Browser browser = new Browser(configured);
      browser.signIn("carol", carol);
      assertThat(browser.shown(AdminPage.PATH).body()).contains("href=\"/admin\"");
      Page people = browser.shown(AdminUsers.PATH);
      assertThat(people.text()).contains("yes (config)");
      Page refused = change(browser, people, "carol", "unmake-admin");
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.text()).contains("\"admins\"");
    }
  }
}
