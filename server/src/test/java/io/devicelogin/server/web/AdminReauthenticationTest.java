package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.Grant;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import io.devicelogin.server.web.Terminal.Code;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An administrator's password is asked for again before an action once sign-in is not recent. */
@ExtendWith(NoSecretsInOutput.class)
class AdminReauthenticationTest {
  private static final Duration LATER = Defaults.ADMIN_REAUTHENTICATION.plusMinutes(1);

  @AutoClose private final TestServer server = TestServer.start();

  private Grant approvedGrant() {
    Terminal terminal = new Terminal(server);
    Code code = terminal.requestCode("openid");
    Browser browser = new Browser(server);
    Page consent =
        Flows.toConsent(browser, code.userCode(), "demo", Secret.of(server.demoPassword));
    assertThat(Flows.decide(browser, consent, "approve").status()).isEqualTo(200);
    return server.context().tokens().grantsOf(server.demoUser().id()).get(0);
  }

  private Page confirm(Browser admin, String csrf, String password, String grant) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf", csrf);
    form.put("next", "/admin");
    form.put("password", password);
    if (grant != null) {
      form.put("grant", grant);
    }
    return admin.post("/admin/confirm", form);
  }

  private long audited(AuditEvent.Type type, String detail) {
    return server.context().audit().find(null, null, null, 1000).stream()
        .filter(e -> e.event() == type && detail.equals(e.detail()))
        .count();
  }

  @Test
  void anAdminSignedInLongerAgoThanTheWindowIsAskedForThePasswordBeforeTheAdminPage() {
    Browser admin = new Browser(server);
    admin.signInAsDemo();
    assertThat(admin.shown("/admin").text()).contains("Grants");

    server.clock.advance(LATER);
    Page asked = admin.shown("/admin?user=demo");
    assertThat(asked.text())
        .contains("Confirm your password")
        .contains("the last " + Defaults.ADMIN_REAUTHENTICATION.toMinutes() + " minutes")
        .doesNotContain("Grants");
    assertThat(asked.body()).contains("name=\"next\" value=\"/admin?user=demo\"");

    Page wrong = confirm(admin, asked.csrf(), "not-the-password", null);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.text()).contains("Wrong password");
    assertThat(admin.shown("/admin").text()).contains("Confirm your password");
    assertThat(
            audited(AuditEvent.Type.SIGN_IN_FAILED, "wrong password when asked again for /admin"))
        .isEqualTo(1);

    Page right = confirm(admin, asked.csrf(), server.demoPassword, null);
    assertThat(right.status()).as(right.text()).isEqualTo(303);
    assertThat(right.location()).hasValue("/admin");
    assertThat(admin.shown("/admin").text()).contains("Grants").doesNotContain("Confirm");
    assertThat(audited(AuditEvent.Type.SIGNED_IN, "password confirmed for /admin")).isEqualTo(1);

    // The account page is not an administrator's action: it asks for nothing.
    server.clock.advance(LATER);
    assertThat(admin.shown("/account").text()).doesNotContain("Confirm your password");
  }

  @Test
  void aRevokeAfterTheWindowWaitsForThePasswordAWrongOneRevokesNothingTheRightOneRevokes() {
    Grant grant = approvedGrant();
    Browser admin = new Browser(server);
    admin.signInAsDemo();
    server.clock.advance(LATER);
    String csrf = admin.shown("/account").csrf();

    Page asked = admin.post("/admin/revoke", Map.of("csrf", csrf, "grant", grant.id()));
    assertThat(asked.status()).isEqualTo(403);
    assertThat(asked.text()).contains("Confirm your password").contains("nothing is changed");
    assertThat(server.context().tokens().findGrant(grant.id()).orElseThrow().active()).isTrue();

    Page wrong = confirm(admin, csrf, "not-the-password", grant.id());
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(server.context().tokens().findGrant(grant.id()).orElseThrow().active()).isTrue();

    Page right = confirm(admin, csrf, server.demoPassword, grant.id());
    assertThat(right.status()).as(right.text()).isEqualTo(303);
    assertThat(right.location()).hasValue("/admin?revoked=1");
    assertThat(server.context().tokens().findGrant(grant.id()).orElseThrow().active()).isFalse();
  }

  @Test
  void wrongPasswordsWhenAskedAgainCountAsFailedSignInsSoTheyArePausedToo() {
    Browser admin = new Browser(server);
    admin.signInAsDemo();
    server.clock.advance(LATER);
    String csrf = admin.shown("/admin").csrf();
    for (int i = 0; i < Defaults.SIGN_IN_FAILURES_ALLOWED; i++) {
      assertThat(confirm(admin, csrf, "guess-" + i, null).status()).isIn(401, 429);
    }
    Page paused = confirm(admin, csrf, server.demoPassword, null);
    assertThat(paused.status()).isEqualTo(429);
    assertThat(paused.headers().firstValue("Retry-After")).isPresent();
    assertThat(admin.shown("/admin").text()).contains("Confirm your password");
  }

  @Test
  void liftingAPauseAfterTheWindowAsksForThePasswordFirstAndLiftsNothing() {
    Browser admin = new Browser(server);
    admin.signInAsDemo();
    server.clock.advance(LATER);
    String csrf = admin.shown("/account").csrf();
    Page asked =
        admin.post("/admin/lift", Map.of("csrf", csrf, "kind", "address", "key", "198.51.100.9"));
    assertThat(asked.status()).isEqualTo(403);
    assertThat(asked.text()).contains("Confirm your password");
    assertThat(
            server.context().audit().find(null, null, null, 1000).stream()
                .filter(e -> e.event().name().equals("PAUSE_LIFTED"))
                .count())
        .isZero();
  }
}
