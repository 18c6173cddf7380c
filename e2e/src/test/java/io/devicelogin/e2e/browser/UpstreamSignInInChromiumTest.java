package io.devicelogin.e2e.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devicelogin.cli.CliProcess;
import io.devicelogin.cli.ExitCode;
import io.devicelogin.cli.store.TokenStores;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.e2e.interop.SpringOidcProviderApp;
import io.devicelogin.server.store.User;
import io.devicelogin.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A terminal's login approved by a person of the organisation's identity provider: the real {@code
 * devicelogin login} as a process, a real devicelogin server, Spring Authorization Server as the
 * upstream OpenID Connect provider, and headless Chromium clicking "Sign in with Corp SSO", signing
 * in on Spring's page, coming back, and approving.
 */
@ExtendWith(NoSecretsInOutput.class)
class UpstreamSignInInChromiumTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static TestServer server;
  private static ConfigurableApplicationContext spring;
  private static String password;

  @AutoClose private final CliProcess cli = new CliProcess();
  @AutoClose private final Chromium chromium = Chromium.start();
  private final PersonInChromium person = new PersonInChromium(chromium);

  @BeforeAll
  static void start() throws IOException {
    Chromium.requireInstalled();
    // Each needs the other's address before it starts: Spring's port is chosen first.
    int springPort = SpringOidcProviderApp.freePort();
    String secret = IssuedSecrets.fresh("corp-client-secret-");
    password = IssuedSecrets.fresh("carol-pw-");
    Files.writeString(dir.resolve("corp.secret"), secret);
    Path config =
        Files.writeString(
            dir.resolve("config.json"),
            """
            { "clients": [
                { "client_id": "devicelogin-cli", "name": "devicelogin CLI",
                  "scopes": ["openid", "profile", "email", "offline_access"], "interval": "1s" } ],
              "upstreams": [
                { "name": "corp", "display_name": "Corp SSO",
                  "issuer": "http://127.0.0.1:%d", "client_id": "%s",
                  "client_secret_file": "corp.secret",
                  "allowed_email_domains": ["corp.example"], "require_verified_email": true } ] }
            """
                .formatted(springPort, SpringOidcProviderApp.CLIENT));
    server = TestServer.start(List.of("--config", config.toString()));
    // Spring signs its ID tokens by the wall clock; the server's test clock starts in January.
    server.clock.advance(Duration.between(server.clock.instant(), Instant.now()));
    Path tomcat = Files.createDirectories(dir.resolve("tomcat"));
    spring =
        SpringOidcProviderApp.start(
            springPort, server.issuer() + "/login/corp/callback", secret, password, tomcat);
  }

  @AfterAll
  static void stop() {
    if (spring != null) {
      spring.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void stopAgent() {
    TokenStores.stopAgent(cli.env);
  }

  @Test
  void aPersonOfTheIdentityProviderApprovesTheCommandsLogin() throws Exception {
    try (CliProcess.Running login =
        cli.start(
            "login", "--issuer", server.issuer(), "--json", "--no-browser", "--store", "memory")) {
      JsonNode code = JSON.readTree(login.nextLine(WAIT));
      person.followCodeLink(code.path("verification_uri_complete").asText());

      WebElement button =
          chromium
              .waiting()
              .until(ExpectedConditions.elementToBeClickable(By.linkText("Sign in with Corp SSO")));
      assertThat(chromium.driver.findElement(By.id("password")).isDisplayed()).isTrue();
      chromium.screenshot("sign-in-upstream");
      button.click();

      // Spring's own login page, on Spring's own address.
      chromium.waiting().until(ExpectedConditions.urlContains("127.0.0.1:"));
      person.signIn(SpringOidcProviderApp.PERSON, password);

      String consent = person.consentText();
      assertThat(consent).contains("devicelogin CLI").contains("wants to sign in as carol");
      person.decide("approve");
      assertThat(chromium.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Approved");

      JsonNode outcome = JSON.readTree(login.nextLine(WAIT));
      CliProcess.Result r = login.finish(WAIT);
      assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.OK);
      assertThat(outcome.path("subject").asText()).isEqualTo("carol");
      TokenSet tokens =
          TokenStores.open(Optional.of("memory"), cli.env).load("default").orElseThrow();
      IssuedSecrets.register(tokens.accessToken().revealForTransmission());
      tokens.refreshToken().ifPresent(t -> IssuedSecrets.register(t.revealForTransmission()));
    }

    User carol =
        server
            .context()
            .users()
            .findByLink(new User.Link("corp", SpringOidcProviderApp.PERSON))
            .orElseThrow();
    assertThat(carol.username()).isEqualTo("carol");
    assertThat(carol.email()).contains("carol@corp.example");
    assertThat(carol.emailVerified()).isTrue();
    assertThat(carol.groups()).containsExactlyElementsOf(SpringOidcProviderApp.GROUPS);
    assertThat(server.context().tokens().grantsOf(carol.id())).hasSize(1);

    chromium.driver.get(server.issuer() + "/account");
    assertThat(chromium.driver.findElement(By.tagName("main")).getText())
        .contains("Signed in with Corp SSO as carol");

    // The administrator sees who stands behind the grant.
    WebElement signOut =
        chromium.driver.findElement(By.cssSelector("form.signout button[type=submit]"));
    signOut.click();
    chromium.waiting().until(ExpectedConditions.stalenessOf(signOut));
    chromium.driver.get(server.issuer() + "/login?next=/admin");
    person.signIn("demo", server.demoPassword);
    chromium.waiting().until(ExpectedConditions.urlContains("/admin"));
    assertThat(chromium.driver.findElement(By.tagName("main")).getText())
        .contains("carol (corp:carol)");
  }
}
