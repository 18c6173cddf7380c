package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.store.DeviceAuthorizationRecord;
import io.devicelogin.server.store.Grant;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import io.devicelogin.server.web.Terminal.Code;
import java.net.HttpCookie;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The session cookie, its rotation, CSRF on every POST, and the security headers. */
@ExtendWith(NoSecretsInOutput.class)
class SessionSecurityTest {
  @AutoClose private TestServer server;

  @Test
  void theSessionCookieIsHttpOnlyLaxPathRootAndStoredOnlyAsAHash() {
    server = TestServer.start();
    Browser browser = new Browser(server);
    Page page = browser.get("/device");
    // Before a form is posted, the cookie is a signed ticket that lives the idle timeout.
    assertThat(page.headers().firstValue("Set-Cookie").orElseThrow())
        .startsWith("dl_session=")
        .contains("; Path=/")
        .contains("; HttpOnly")
        .contains("; SameSite=Lax")
        .contains("; Max-Age=1800")
        .doesNotContain("Secure");

    Page posted = Flows.enterCode(browser, "BCDF-GHJK");
    String header = posted.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(header)
        .startsWith("dl_session=")
        .contains("; Path=/")
        .contains("; HttpOnly")
        .contains("; SameSite=Lax")
        .contains("; Max-Age=28800")
        .doesNotContain("Secure");

    String value = browser.sessionCookie().orElseThrow();
    assertThat(value).matches("[A-Za-z0-9_-]{43}"); // 256 bits, base64url
    List<String> stored =
        server.jdbc().query("SELECT id_hash FROM browser_sessions", r -> r.getString(1));
    assertThat(stored).containsExactly(Hashing.sha256(value));
    List<String> refs =
        server.jdbc().query("SELECT ref FROM browser_sessions", r -> r.getString(1));
    assertThat(refs.get(0)).isNotEqualTo(value).doesNotContain(value);
  }

  @Test
  void overHttpsTheCookieIsSecure() {
    server = TestServer.start(List.of("--issuer", "https://login.example.com"));
    Page page = new Browser(server).get("/device");
    List<HttpCookie> cookies =
        HttpCookie.parse(page.headers().firstValue("Set-Cookie").orElseThrow());
    assertThat(cookies.get(0).getSecure()).isTrue();
    assertThat(cookies.get(0).isHttpOnly()).isTrue();
    assertThat(cookies.get(0).getName()).isEqualTo("__Host-dl_session");
    assertThat(cookies.get(0).getPath()).isEqualTo("/");
    assertThat(cookies.get(0).getDomain()).isNull();
  }

  @Test
  void overHttpsACookieWithoutTheHostPrefixIsNotTheSessionSoASiblingCannotPlantOne() {
    server = TestServer.start(List.of("--issuer", "https://login.example.com"));
    Page first = new Browser(server).get("/device");
    String live =
        HttpCookie.parse(first.headers().firstValue("Set-Cookie").orElseThrow()).get(0).getValue();
    IssuedSecrets.register(live);

    // What a sibling subdomain can set: the plain name, holding a session the attacker opened.
    Browser planted = new Browser(server);
    planted.cookies.getCookieStore().add(server.uri("/"), cookie(live));
    Page page = planted.get("/device");

    HttpCookie started =
        HttpCookie.parse(page.headers().firstValue("Set-Cookie").orElseThrow()).get(0);
    assertThat(started.getName()).isEqualTo("__Host-dl_session");
    assertThat(started.getValue()).as("a new session, not the planted one").isNotEqualTo(live);
  }

  @Test
  void signingInRotatesTheSessionIdAndTheOldOneStopsWorking() {
    server = TestServer.start();
    Browser browser = new Browser(server);
    browser.get("/login");
    String before = browser.sessionCookie().orElseThrow();
    Page signedIn = browser.signIn("demo", Secret.of(server.demoPassword));
    assertThat(signedIn.status()).isEqualTo(303);
    assertThat(signedIn.location()).contains("/account");
    String after = browser.sessionCookie().orElseThrow();
    assertThat(after).isNotEqualTo(before);
    assertThat(browser.get("/account").status()).isEqualTo(200);

    // A browser still holding the pre-sign-in id (e.g. one that planted it) is not signed in.
    Browser planted = new Browser(server);
    planted.cookies.getCookieStore().add(server.uri("/"), cookie(before));
    Page account = planted.get("/account");
    assertThat(account.status()).isEqualTo(303);
    assertThat(account.location()).hasValueSatisfying(l -> assertThat(l).startsWith("/login"));
  }

  @Test
  void aPostWithoutTheCsrfTokenOrWithAWrongOneIsRefusedAndChangesNothing() {
    server = TestServer.start();
    Terminal terminal = new Terminal(server);
    Code code = terminal.requestCode("openid offline_access");
    Browser browser = new Browser(server);
    Page consent =
        Flows.toConsent(browser, code.userCode(), "demo", Secret.of(server.demoPassword));
    String id = Flows.requestId(consent);

    Map<String, String> noToken = new LinkedHashMap<>();
    noToken.put("request", id);
    noToken.put("decision", "approve");
    Page refused = browser.post("/device/consent", noToken);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.text())
        .contains("This form can't be accepted")
        .contains("Nothing was changed");

    Map<String, String> wrongToken = new LinkedHashMap<>(noToken);
    wrongToken.put("csrf", "x" + consent.csrf());
    assertThat(browser.post("/device/consent", wrongToken).status()).isEqualTo(403);
    assertThat(server.context().devices().find(id).orElseThrow().status())
        .isEqualTo(DeviceAuthorizationRecord.Status.PENDING);

    // Approve properly, then try to revoke and to sign out without the token.
    assertThat(Flows.decide(browser, consent, "approve").status()).isEqualTo(200);
    Grant grant = server.context().tokens().grantsOf(server.demoUser().id()).get(0);
    assertThat(browser.post("/account/revoke", Map.of("grant", grant.id())).status())
        .isEqualTo(403);
    assertThat(
            browser.post("/account/revoke", Map.of("grant", grant.id(), "csrf", "nope")).status())
        .isEqualTo(403);
    assertThat(browser.post("/admin/revoke", Map.of("grant", grant.id())).status()).isEqualTo(403);
    assertThat(server.context().tokens().findGrant(grant.id()).orElseThrow().active()).isTrue();
    assertThat(browser.post("/logout", Map.of()).status()).isEqualTo(403);
    assertThat(browser.get("/account").status()).as("still signed in").isEqualTo(200);

    // A code entry and a sign-in without the token do nothing either.
    Code other = terminal.requestCode("openid");
    assertThat(browser.post("/device", Map.of("user_code", other.userCode())).status())
        .isEqualTo(403);
    Browser fresh = new Browser(server);
    fresh.get("/login");
    Page login = fresh.post("/login", Map.of("username", "demo", "password", server.demoPassword));
    assertThat(login.status()).isEqualTo(403);
    assertThat(fresh.get("/account").status()).as("not signed in").isEqualTo(303);
  }

  @Test
  void pagesCarryTheSecurityHeadersAndNoInlineScriptOrStyle() {
    server = TestServer.start();
    Code code = new Terminal(server).requestCode("openid");
    Browser browser = new Browser(server);
    Page consent =
        Flows.toConsent(browser, code.userCode(), "demo", Secret.of(server.demoPassword));

    for (Page page :
        List.of(
            consent,
            browser.get("/device"),
            browser.get("/account"),
            browser.get("/admin"),
            new Browser(server).get("/login"),
            new Browser(server).get("/nowhere"))) {
      assertThat(page.headers().allValues("Content-Security-Policy"))
          .containsExactly(
              "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none';"
                  + " base-uri 'none'");
      assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
      assertThat(page.headers().allValues("X-Frame-Options")).containsExactly("DENY");
      assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(page.body())
          .doesNotContainIgnoringCase("<script")
          .doesNotContainIgnoringCase(" style=")
          .doesNotContainIgnoringCase("<style")
          .doesNotContainPattern("(?i)<[^>]*\\son[a-z]+\\s*=")
          .doesNotContainIgnoringCase("javascript:");
    }
  }

  private static HttpCookie cookie(String value) {
    HttpCookie c = new HttpCookie(SessionCookies.COOKIE, value);
    c.setPath("/");
    c.setVersion(0);
    return c;
  }
}
