package io.devicelogin.e2e.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devicelogin.cli.CliProcess;
import io.devicelogin.cli.ExitCode;
import io.devicelogin.cli.store.TokenStores;
import io.devicelogin.client.Secret;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.admin.Administrator;
import io.devicelogin.server.admin.UserAdministration;
import io.devicelogin.server.store.User;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A person approving a terminal's login in a real browser: the real {@code devicelogin} command as
 * a process, a real server, and headless Chromium clicking through the pages.
 */
@ExtendWith(NoSecretsInOutput.class)
class BrowserLoginTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final List<String> SCOPES =
      List.of("openid", "profile", "email", "offline_access");
  private static TestServer server;

  /** Where the clients files go; JUnit deletes it after the class. */
  @TempDir static Path configs;

  @AutoClose private final CliProcess cli = new CliProcess();
  @AutoClose private final Chromium chromium = Chromium.start();
  private final PersonInChromium person = new PersonInChromium(chromium);

  @BeforeAll
  static void startServer() throws IOException {
    Chromium.requireInstalled();
    server = TestServer.start(List.of("--config", clientsConfig().toString()));
  }

  static Path clientsConfig() throws IOException {
    Path config = Files.createTempFile(configs, "clients", ".json");
    Files.writeString(
        config,
        """
        { "clients": [
            { "client_id": "devicelogin-cli", "name": "devicelogin CLI",
              "scopes": ["openid", "profile", "email", "offline_access"], "interval": "1s" },
            { "client_id": "short-cli", "name": "Short-lived codes",
              "scopes": ["openid", "profile"], "interval": "1s", "device_code_lifetime": "3s" } ] }
        """);
    return config;
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void stopAgent() {
    TokenStores.stopAgent(cli.env);
  }

  // 1. verification_uri_complete, sign in, check the consent page, approve; status shows the login.
  @Test
  void approvingInTheBrowserLogsTheCommandIn() throws Exception {
    TokenSet tokens;
    try (CliProcess.Running login = startLogin(server)) {
      JsonNode code = readJson(login);
      String userCode = code.path("user_code").asText();
      String complete = code.path("verification_uri_complete").asText();
      assertThat(complete).contains("user_code=");

      WebElement field = person.codeField(complete);
      assertThat(field.getAttribute("value")).isEqualTo(userCode);
      chromium.screenshot("verification");
      chromium
          .driver
          .findElement(By.cssSelector("form[action='/device'] button[type=submit]"))
          .click();
      signIn(server);

      String consent = consentText();
      assertThat(consent).contains("devicelogin CLI").contains("wants to sign in as demo");
      assertThat(chromium.driver.findElement(By.cssSelector(".match .code")).getText())
          .isEqualTo(userCode);
      assertThat(consent).contains("from 127.0.0.1");
      List<String> shownScopes =
          chromium.driver.findElements(By.cssSelector("ul.scopes li code")).stream()
              .map(WebElement::getText)
              .collect(Collectors.toList());
      assertThat(shownScopes).containsExactlyInAnyOrderElementsOf(SCOPES);
      chromium.screenshot("consent");

      decide("approve");
      assertThat(chromium.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Approved");
      chromium.screenshot("result");

      JsonNode outcome = readJson(login);
      CliProcess.Result r = login.finish(WAIT);
      assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.OK);
      assertThat(outcome.path("event").asText()).isEqualTo("approved");
      assertThat(outcome.path("subject").asText()).isEqualTo("demo");
      tokens = held();
      assertNoTokenIn(tokens, r.both());
    }
    CliProcess.Result status = cli.run("status");
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out()).contains("Subject:   demo");
    SCOPES.forEach(s -> assertThat(status.out()).contains(s));
    assertNoTokenIn(tokens, status.both());
  }

  // 2. The plain verification_uri, the code typed in lower case with a space.
  @Test
  void theCodeTypedInLowerCaseWithASpaceIsAccepted() throws Exception {
    try (CliProcess.Running login = startLogin(server)) {
      JsonNode code = readJson(login);
      String userCode = code.path("user_code").asText();
      WebElement field = person.codeField(code.path("verification_uri").asText());
      assertThat(field.getAttribute("value")).isEmpty();
      field.sendKeys(userCode.toLowerCase().replace("-", " "));
      chromium.screenshot("verification-typed");
      field.submit();
      signIn(server);
      consentText();
      assertThat(chromium.driver.findElement(By.cssSelector(".match .code")).getText())
          .isEqualTo(userCode);
      decide("approve");
      chromium.screenshot("typed-result");
      readJson(login);
      CliProcess.Result r = login.finish(WAIT);
      assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.OK);
      held();
    }
  }

  // 3a. Deny: the command exits 3.
  @Test
  void denyingMakesTheCommandExit3() throws Exception {
    try (CliProcess.Running login = startLogin(server)) {
      JsonNode code = readJson(login);
      person.followCodeLink(code.path("verification_uri_complete").asText());
      signIn(server);
      consentText();
      decide("deny");
      assertThat(chromium.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Denied");
      chromium.screenshot("denied");
      JsonNode outcome = readJson(login);
      CliProcess.Result r = login.finish(WAIT);
      assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.ACCESS_DENIED);
      assertThat(outcome.path("error").asText()).isEqualTo("access_denied");
    }
  }

  // 3b. A code left alone: the command exits 4 when it expires, and the page then refuses it.
  @Test
  void aCodeLeftAloneMakesTheCommandExit4() throws Exception {
    String complete;
    try (CliProcess.Running login = startLogin(server, "--client-id", "short-cli")) {
      complete = readJson(login).path("verification_uri_complete").asText();
      CliProcess.Result r = login.finish(WAIT);
      assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.CODE_EXPIRED);
      assertThat(r.err()).contains("expired");
    }
    // The server's clock is a manual one: move it past the three-second lifetime too.
    server.clock.advance(Duration.ofSeconds(10));
    person.followCodeLink(complete);
    chromium
        .waiting()
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".alert.error")));
    assertThat(chromium.driver.findElement(By.tagName("main")).getText()).doesNotContain("Approve");
    chromium.screenshot("expired");
  }

  // 5. Revoking on /account: the command's next token exits 7 and the token is no longer active.
  @Test
  void revokingOnTheAccountPageLogsTheCommandOut() throws Exception {
    TokenSet tokens = approvedLogin();
    chromium.driver.get(server.issuer() + "/account");
    WebElement revoke =
        chromium
            .waiting()
            .until(
                ExpectedConditions.elementToBeClickable(
                    By.cssSelector("form[action='/account/revoke'] button")));
    assertThat(chromium.driver.findElement(By.tagName("main")).getText())
        .contains("devicelogin CLI");
    chromium.screenshot("account");
    revoke.click();
    chromium.waiting().until(ExpectedConditions.stalenessOf(revoke));
    chromium.screenshot("account-revoked");

    assertThat(server.context().tokens().validAccessToken(tokens.accessToken())).isEmpty();
    CliProcess.Result token = cli.run("token");
    assertThat(token.exit()).as(token.err()).isEqualTo(ExitCode.NOT_LOGGED_IN);
    assertThat(token.err()).contains("run 'devicelogin login'");
  }

  // 6. The admin (the demo user is one) sees the grant and its audit trail.
  @Test
  void theAdminSeesTheGrantAndItsAuditTrail() throws Exception {
    TokenSet tokens = approvedLogin();
    String grant =
        server.context().tokens().validAccessToken(tokens.accessToken()).orElseThrow().grantId();
    chromium.driver.get(server.issuer() + "/admin?user=demo&client=devicelogin-cli");
    chromium
        .waiting()
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.grants")));
    String grants = chromium.driver.findElement(By.cssSelector("table.grants")).getText();
    assertThat(grants).contains("demo").contains("devicelogin-cli").contains("offline_access");
    List<WebElement> audit = chromium.driver.findElements(By.cssSelector("table.audit tbody tr"));
    String trail = audit.stream().map(WebElement::getText).collect(Collectors.joining("\n"));
    assertThat(audit).as(trail).hasSizeGreaterThanOrEqualTo(3);
    assertThat(trail).contains("demo").contains("127.0.0.1");
    assertThat(chromium.driver.getPageSource())
        .contains(grant.substring(0, Math.min(8, grant.length())));
    chromium.screenshot("admin");
  }

  // 7. The people page: an administrator disables a person in the browser; their grant ends.
  @Test
  void anAdministratorDisablesAPersonOnThePeoplePageAndTheirGrantEnds() throws Exception {
    approvedLogin();
    UserAdministration people = server.context().administration();
    Administrator ops = Administrator.commandLine("ops");
    people.add(
        "alice",
        Optional.of("Alice Example"),
        Optional.of("alice@example.com"),
        true,
        Optional.empty(),
        Optional.of(Secret.of(IssuedSecrets.fresh("pw-"))),
        ops);
    people.add(
        "bob",
        Optional.of("Bob Example"),
        Optional.of("bob@corp.example"),
        false,
        Optional.of(new User.Link("corp", "00u1b2c3d4")),
        Optional.empty(),
        ops);
    User carol =
        people.add(
            "carol",
            Optional.of("Carol Example"),
            Optional.of("carol@example.com"),
            false,
            Optional.empty(),
            Optional.of(Secret.of(IssuedSecrets.fresh("pw-"))),
            ops);
    OAuthCalls oauth = server.oauth();
    OAuthCalls.DeviceCode code = oauth.deviceCode();
    server.approve(code.userCode(), carol);
    OAuthCalls.tokens(oauth.poll(code));

    chromium.driver.get(server.issuer() + "/admin/users");
    WebElement disable =
        chromium
            .waiting()
            .until(
                ExpectedConditions.elementToBeClickable(
                    By.cssSelector("button[aria-label^='Disable carol']")));
    disable.click();
    chromium.waiting().until(ExpectedConditions.stalenessOf(disable));
    String main = chromium.driver.findElement(By.tagName("main")).getText();
    assertThat(main)
        .contains("carol disabled; its grants are revoked.")
        .contains("corp:00u1b2c3d4")
        .contains("Alice Example");
    assertThat(server.context().tokens().grantsOf(carol.id()))
        .isNotEmpty()
        .noneMatch(g -> g.active());
    chromium.screenshot("users");
  }

  // 4. Five wrong codes: the lock-out page; a sixth, even the right one, is refused.
  @Test
  void fiveWrongCodesLockOutEvenTheRightOne() throws Exception {
    try (TestServer own = TestServer.start(List.of("--config", clientsConfig().toString()));
        CliProcess.Running login = startLogin(own)) {
      String userCode = readJson(login).path("user_code").asText();
      // Not the example code BCDF-GHJK, which the page does not count (issue 13, finding 9).
      String wrong = userCode.equals("XZXZ-XZXZ") ? "XZXZ-XZXW" : "XZXZ-XZXZ";
      String csrf = null;
      for (int i = 1; i <= 5; i++) {
        WebElement field = person.codeField(own.issuer() + "/device");
        field.sendKeys(wrong);
        field.submit();
        chromium.waiting().until(ExpectedConditions.stalenessOf(field));
        String text = chromium.driver.findElement(By.tagName("main")).getText();
        if (i < 5) {
          assertThat(text).contains("That code isn't valid");
          csrf = chromium.driver.findElement(By.name("csrf")).getAttribute("value");
        } else {
          assertThat(text).contains("Too many wrong codes");
        }
      }
      chromium.screenshot("lockout");

      // The sixth is right, sent as the form would send it, and is still refused: code entry is
      // paused.
      HttpResponse<String> sixth =
          postWithCookies(own, "/device", "csrf", csrf, "user_code", userCode);
      assertThat(sixth.statusCode()).as(sixth.body()).isEqualTo(429);
      assertThat(sixth.body()).contains("Too many wrong codes");
      // And the browser following the terminal's link with the right code gets the lock-out page,
      // no form.
      chromium.driver.get(
          own.issuer()
              + "/device?user_code="
              + URLEncoder.encode(userCode, StandardCharsets.UTF_8));
      chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
      assertThat(chromium.driver.findElement(By.tagName("h1")).getText())
          .isEqualTo("Too many wrong codes");
      assertThat(chromium.driver.findElements(By.id("user_code"))).isEmpty();
      login.close();
      TokenStores.stopAgent(cli.env);

      // Once the window (15 minutes) has passed, a right code is taken again.
      own.clock.advance(Duration.ofMinutes(15).plusSeconds(1));
      try (CliProcess.Running again = startLogin(own)) {
        person.followCodeLink(readJson(again).path("verification_uri_complete").asText());
        chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertThat(chromium.driver.getCurrentUrl()).contains("/login");
      }
    }
  }

  // 7. Forms refuse a POST without the CSRF token, and the consent page cannot be framed.
  @Test
  void formsNeedTheCsrfTokenAndTheConsentPageCannotBeFramed() throws Exception {
    try (CliProcess.Running login = startLogin(server)) {
      JsonNode code = readJson(login);
      person.followCodeLink(code.path("verification_uri_complete").asText());
      signIn(server);
      consentText();
      String consentUrl = chromium.driver.getCurrentUrl();
      String request = chromium.driver.findElement(By.name("request")).getAttribute("value");

      // The same signed-in session, without the form's token: refused, and nothing is decided.
      HttpResponse<String> forged =
          postWithCookies(server, "/device/consent", "request", request, "decision", "approve");
      assertThat(forged.statusCode()).as(forged.body()).isEqualTo(403);
      HttpResponse<String> forgedRevoke =
          postWithCookies(server, "/account/revoke", "grant", "anything");
      assertThat(forgedRevoke.statusCode()).isEqualTo(403);

      // The consent page, fetched with the browser's session, forbids every frame.
      HttpResponse<String> page =
          withCookies(server, HttpRequest.newBuilder(URI.create(consentUrl)).GET());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("Approve");
      assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("frame-ancestors 'none'");
      assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");

      // And Chromium enforces it: framed by another origin's page, the consent page does not load.
      chromium.driver.get(
          "data:text/html,<iframe id=f style='width:900px;height:600px' src='"
              + consentUrl
              + "'></iframe>");
      WebElement frame =
          chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("f")));
      chromium.driver.switchTo().frame(frame);
      assertThat(chromium.driver.findElements(By.cssSelector("form[action='/device/consent']")))
          .isEmpty();
      chromium.driver.switchTo().defaultContent();
      chromium.screenshot("framed-consent-blocked");

      // The person is still asked: the forged approval did nothing.
      chromium.driver.get(consentUrl);
      consentText();
      decide("deny");
      CliProcess.Result r = login.finish(WAIT);
      assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.ACCESS_DENIED);
    }
  }

  // ---- steps ----

  private CliProcess.Running startLogin(TestServer on, String... extra) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "login", "--issuer", on.issuer(), "--json", "--no-browser", "--store", "memory"));
    args.addAll(List.of(extra));
    return cli.start(args.toArray(String[]::new));
  }

  private static JsonNode readJson(CliProcess.Running running) throws Exception {
    return JSON.readTree(running.nextLine(WAIT));
  }

  /** Signs in as the demo user on the sign-in page the browser was sent to. */
  private void signIn(TestServer on) {
    chromium.screenshot("sign-in");
    person.signIn("demo", on.demoPassword);
  }

  /** Waits for the consent page and returns its text. */
  private String consentText() {
    return person.consentText();
  }

  private void decide(String decision) {
    person.decide(decision);
  }

  /** A whole approved login through the browser; returns the tokens the command holds. */
  private TokenSet approvedLogin() throws Exception {
    try (CliProcess.Running login = startLogin(server)) {
      JsonNode code = readJson(login);
      person.followCodeLink(code.path("verification_uri_complete").asText());
      signIn(server);
      consentText();
      decide("approve");
      readJson(login);
      CliProcess.Result r = login.finish(WAIT);
      assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.OK);
    }
    return held();
  }

  private static void assertNoTokenIn(TokenSet tokens, String output) {
    assertThat(output).doesNotContain(tokens.accessToken().revealForTransmission());
    tokens
        .refreshToken()
        .ifPresent(r -> assertThat(output).doesNotContain(r.revealForTransmission()));
  }

  /** The tokens the command stored, registered so that no output may show them. */
  private TokenSet held() {
    TokenSet tokens =
        TokenStores.open(Optional.of("memory"), cli.env).load("default").orElseThrow();
    IssuedSecrets.register(tokens.accessToken().revealForTransmission());
    tokens.refreshToken().ifPresent(r -> IssuedSecrets.register(r.revealForTransmission()));
    return tokens;
  }

  /** Sends {@code request} with the browser's cookies for {@code on}. */
  private HttpResponse<String> withCookies(TestServer on, HttpRequest.Builder request) {
    return chromium.sendWithCookies(request);
  }

  /** POSTs the form {@code path} takes, with the browser's cookies for {@code on}. */
  private HttpResponse<String> postWithCookies(TestServer on, String path, String... form) {
    return withCookies(
        on,
        HttpRequest.newBuilder(URI.create(on.issuer() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(OAuthCalls.form(form))));
  }
}
