package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.testing.Backend;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import io.devicelogin.server.web.Terminal.Code;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 13, finding 9: the code-entry pause belongs to the browser session that made the typos, the
 * address only at six times as many; the example code and codes that have ended are not guesses; an
 * administrator sees the pauses on {@code /admin} and can lift one.
 */
@ExtendWith(NoSecretsInOutput.class)
class CodeEntryPausesTest {
  private static final String NOT_ISSUED = "XZXZ-XZXZ";
  private static final String ADDRESS = "198.51.100.30";
  private static final Pattern LIFT_FORM =
      Pattern.compile(
          "name=\"kind\" value=\"(session|address)\">\\s*<input type=\"hidden\" name=\"key\""
              + " value=\"([^\"]+)\">");

  @AutoClose private TestServer server;

  private void start(Backend backend) {
    server = TestServer.start(backend, List.of("--trusted-proxy", "127.0.0.1"));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void fiveTyposInOneSessionPauseThatSessionButNotAnotherFromTheSameAddress(Backend backend) {
    start(backend);
    Browser typist = new Browser(server).from(ADDRESS);
    for (int i = 1; i < Defaults.WRONG_CODES_ALLOWED; i++) {
      assertThat(Flows.enterCode(typist, NOT_ISSUED).status()).isEqualTo(400);
    }
    assertThat(Flows.enterCode(typist, NOT_ISSUED).status()).isEqualTo(429);

    Code code = new Terminal(server).requestCode("openid");
    assertThat(Flows.enterCode(typist, code.userCode()).status())
        .as("the session that made the typos")
        .isEqualTo(429);
    Browser neighbour = new Browser(server).from(ADDRESS);
    Page entered = Flows.enterCode(neighbour, code.userCode());
    assertThat(entered.status()).as("another session behind the same NAT").isEqualTo(303);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void theExampleCodeAndCodesThatHaveEndedAreNotCountedAsGuesses(Backend backend) {
    start(backend);
    Browser browser = new Browser(server).from(ADDRESS);
    Code expired = new Terminal(server).requestCode("openid");
    Code denied = new Terminal(server).requestCode("openid");
    server.deny(denied.userCode());
    server.clock.advance(Defaults.DEVICE_CODE_LIFETIME.plusSeconds(1));

    for (int i = 0; i < 2 * Defaults.WRONG_CODES_ALLOWED; i++) {
      Page example = Flows.enterCode(browser, "bcdf-ghjk");
      assertThat(example.status()).isEqualTo(400);
      assertThat(example.text()).contains("That is the example code");
      Page ended = Flows.enterCode(browser, i % 2 == 0 ? expired.userCode() : denied.userCode());
      assertThat(ended.status()).isEqualTo(400);
      assertThat(ended.text()).contains("That code has expired or was already used");
    }
    assertThat(wrongCodes()).isZero();
    Code fresh = new Terminal(server).requestCode("openid");
    assertThat(Flows.enterCode(browser, fresh.userCode()).status()).isEqualTo(303);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void anAdministratorSeesThePauseAndLiftingItLetsTheSessionEnterCodesAgain(Backend backend) {
    start(backend);
    Browser typist = new Browser(server).from(ADDRESS);
    for (int i = 0; i < Defaults.WRONG_CODES_ALLOWED; i++) {
      Flows.enterCode(typist, NOT_ISSUED);
    }
    Code code = new Terminal(server).requestCode("openid");
    assertThat(Flows.enterCode(typist, code.userCode()).status()).isEqualTo(429);

    Browser admin = new Browser(server).from("192.0.2.1");
    admin.signInAsDemo();
    Page page = admin.shown("/admin");
    assertThat(page.text())
        .contains("Pauses 1")
        .contains("code entry")
        .contains("00:15 UTC (in 15 min)");
    Matcher form = LIFT_FORM.matcher(page.body());
    assertThat(form.find()).as("a lift form").isTrue();
    assertThat(form.group(1)).isEqualTo("session");

    Page withoutCsrf = admin.post("/admin/lift", Map.of("kind", "session", "key", form.group(2)));
    assertThat(withoutCsrf.status()).isEqualTo(403);
    assertThat(Flows.enterCode(typist, code.userCode()).status()).isEqualTo(429);

    server.clock.advance(Duration.ofSeconds(1));
    Page lifted =
        admin.post(
            "/admin/lift",
            Map.of("csrf", page.csrf(), "kind", form.group(1), "key", form.group(2)));
    assertThat(lifted.status()).as(lifted.text()).isEqualTo(303);
    assertThat(admin.follow(lifted).text()).contains("Pause lifted.").contains("Pauses 0");
    assertThat(server.context().audit().find(null, null, null, 100))
        .filteredOn(e -> e.event() == AuditEvent.Type.PAUSE_LIFTED)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.actor()).isEqualTo("admin:demo");
              assertThat(e.sessionRef()).isEqualTo(form.group(2));
            });

    server.clock.advance(Duration.ofSeconds(1));
    Page entered = Flows.enterCode(typist, code.userCode());
    assertThat(entered.status()).as(entered.text()).isEqualTo(303);
    // The session's allowance starts again from nothing.
    for (int i = 1; i < Defaults.WRONG_CODES_ALLOWED; i++) {
      assertThat(Flows.enterCode(typist, NOT_ISSUED).status()).isEqualTo(400);
    }
    assertThat(Flows.enterCode(typist, NOT_ISSUED).status()).isEqualTo(429);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void anAdministratorCanLiftThePauseOfAnAddress(Backend backend) {
    start(backend);
    for (int s = 0; s < Defaults.WRONG_CODES_ALLOWED_PER_ADDRESS / 3; s++) {
      Browser session = new Browser(server).from(ADDRESS);
      for (int i = 0; i < 3; i++) {
        Flows.enterCode(session, NOT_ISSUED);
      }
    }
    Browser newcomer = new Browser(server).from(ADDRESS);
    assertThat(newcomer.get("/device").status()).isEqualTo(429);

    Browser admin = new Browser(server).from("192.0.2.1");
    admin.signInAsDemo();
    Page page = admin.shown("/admin");
    Matcher form = LIFT_FORM.matcher(page.body());
    assertThat(form.find()).isTrue();
    assertThat(form.group(1)).isEqualTo("address");
    assertThat(form.group(2)).isEqualTo(ADDRESS);
    server.clock.advance(Duration.ofSeconds(1));
    assertThat(
            admin
                .post("/admin/lift", Map.of("csrf", page.csrf(), "kind", "address", "key", ADDRESS))
                .status())
        .isEqualTo(303);
    Code code = new Terminal(server).requestCode("openid");
    assertThat(Flows.enterCode(newcomer, code.userCode()).status()).isEqualTo(303);

    Page noSuchPause =
        admin.post(
            "/admin/lift", Map.of("csrf", page.csrf(), "kind", "address", "key", "192.0.2.99"));
    assertThat(noSuchPause.status()).isEqualTo(404);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void theAddressPauseCoversAWholeIpv6SlashSixtyFourAndNoOther(Backend backend) {
    start(backend);
    for (int s = 0; s < Defaults.WRONG_CODES_ALLOWED_PER_ADDRESS / 3; s++) {
      // Each session from another address of one /64, as a subscriber can choose any of them.
      Browser session = new Browser(server).from("2001:db8:9:9::" + Integer.toHexString(s + 1));
      for (int i = 0; i < 3; i++) {
        Flows.enterCode(session, NOT_ISSUED);
      }
    }
    assertThat(new Browser(server).from("2001:db8:9:9:abcd::1").get("/device").status())
        .as("another address of the same /64")
        .isEqualTo(429);
    assertThat(new Browser(server).from("2001:db8:9:a::1").get("/device").status())
        .as("the next /64")
        .isEqualTo(200);
    Browser admin = new Browser(server).from("192.0.2.1");
    admin.signInAsDemo();
    assertThat(admin.shown("/admin").text()).contains("2001:db8:9:9::/64");
  }

  private long wrongCodes() {
    return server.context().audit().find(null, null, null, 1000).stream()
        .filter(e -> e.event() == AuditEvent.Type.USER_CODE_WRONG)
        .count();
  }
}
