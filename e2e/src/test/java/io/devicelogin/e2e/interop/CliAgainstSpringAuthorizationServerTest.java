package io.devicelogin.e2e.interop;

import static io.devicelogin.e2e.interop.SpringAuthorizationServerApp.CLI;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.devicelogin.cli.CliProcess;
import io.devicelogin.cli.store.TokenStores;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Our {@code devicelogin} command as a real child process (its own HOME and XDG directories, the
 * memory token store) against a real Spring Authorization Server on a loopback port: login with a
 * person who signs in and consents over HTTP, {@code status}, a narrower token through Spring's
 * refresh grant, and {@code logout} with revocation, each checked with Spring's introspection.
 */
@ExtendWith(NoSecretsInOutput.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CliAgainstSpringAuthorizationServerTest extends AgainstSpringAuthorizationServer {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @AutoClose private CliProcess cli;

  @AfterEach
  void stopAgent() {
    if (cli != null) {
      TokenStores.stopAgent(cli.env);
    }
  }

  @Test
  void loginStatusNarrowerTokenAndLogout() throws Exception {
    cli = new CliProcess();

    // login: the code event, the person approves in Spring's pages, the approved event.
    TokenSet loggedIn;
    try (CliProcess.Running login =
        cli.start(
            "login",
            "--issuer",
            issuer.toString(),
            "--client-id",
            CLI,
            "--scope",
            "read write",
            "--json",
            "--no-browser",
            "--store",
            "memory")) {
      JsonNode code = JSON.readTree(login.nextLine(WAIT));
      assertThat(code.path("event").asText()).isEqualTo("code");
      String userCode = code.path("user_code").asText();
      URI verificationUri = URI.create(code.path("verification_uri").asText());
      assertThat(verificationUri).isEqualTo(issuer.resolve("/oauth2/device_verification"));

      CompletableFuture<SpringPerson.Answer> person =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return new SpringPerson("alice", passwords.get("alice"))
                      .approve(verificationUri, userCode, List.of("read", "write"));
                } catch (Exception e) {
                  throw new IllegalStateException("the person could not finish: " + e, e);
                }
              },
              people);

      JsonNode approved = JSON.readTree(login.nextLine(WAIT));
      CliProcess.Result r = login.finish(WAIT);
      assertThat(person.join().status()).as("Spring's answer to the consent").isEqualTo(302);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(approved.path("event").asText()).as(approved.toString()).isEqualTo("approved");
      assertThat(approved.path("scope").asText().split(" "))
          .containsExactlyInAnyOrder("read", "write");
      loggedIn = held();
      assertThat(r.both()).doesNotContain(loggedIn.accessToken().revealForTransmission());
    }
    JsonNode first = introspect(loggedIn.accessToken().revealForTransmission());
    assertThat(first.path("active").asBoolean()).isTrue();
    assertThat(first.path("sub").asText()).isEqualTo("alice");
    assertThat(first.path("client_id").asText()).isEqualTo(CLI);

    // status
    CliProcess.Result status = cli.run("status");
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out()).contains("read").contains("write");

    // token --scope read: a narrower token through Spring's refresh grant.
    CliProcess.Result token = cli.run("token", "--scope", "read");
    String narrowed = token.out().trim();
    if (!narrowed.isEmpty()) {
      IssuedSecrets.register(narrowed);
    }
    assertThat(token.exit()).as(token.err()).isZero();
    assertThat(narrowed)
        .isNotEmpty()
        .doesNotContain("\n")
        .isNotEqualTo(loggedIn.accessToken().revealForTransmission());
    JsonNode narrow = introspect(narrowed);
    assertThat(narrow.path("active").asBoolean()).isTrue();
    assertThat(narrow.path("scope").asText()).isEqualTo("read");
    assertThat(narrow.path("sub").asText()).isEqualTo("alice");

    // What the command keeps after narrowing: the login's access token and the rotated refresh
    // token.
    TokenSet kept = held();
    assertThat(kept.accessToken().revealForTransmission())
        .isEqualTo(loggedIn.accessToken().revealForTransmission());
    assertThat(kept.refreshToken()).isPresent().isNotEqualTo(loggedIn.refreshToken());
    boolean keptRefreshActive =
        introspect(kept.refreshToken().orElseThrow().revealForTransmission())
            .path("active")
            .asBoolean();
    assertThat(kept.expiresAt())
        .as("kept, but marked expired: Spring may have ended it")
        .isPresent();
    assertThat(kept.expiresWithin(Duration.ZERO, Clock.systemUTC())).isTrue();
    assertThat(keptRefreshActive).as("the rotated refresh token the command stored").isTrue();

    // Spring keeps one access token per authorization, so the narrowing refresh replaced the
    // login's access token there (it may be inactive there now). The command marked it expired, so
    // a
    // plain `token` refreshes at the full scope and hands out a live token.
    CliProcess.Result plain = cli.run("token");
    String plainToken = plain.out().trim();
    if (!plainToken.isEmpty()) {
      IssuedSecrets.register(plainToken);
    }
    assertThat(plain.exit()).as(plain.err()).isZero();
    JsonNode plainIntrospection = introspect(plainToken);
    assertThat(plainIntrospection.path("active").asBoolean())
        .as("the plain token after narrowing")
        .isTrue();
    assertThat(plainIntrospection.path("scope").asText().split(" "))
        .containsExactlyInAnyOrder("read", "write");

    // logout: revoked at Spring; nothing active afterwards.
    String lastRefresh = held().refreshToken().orElseThrow().revealForTransmission();
    CliProcess.Result logout = cli.run("logout");
    assertThat(logout.exit()).as(logout.err()).isZero();
    assertThat(logout.err()).contains("revoked");
    assertThat(
            introspect(loggedIn.accessToken().revealForTransmission()).path("active").asBoolean())
        .as("the login's access token after logout")
        .isFalse();
    assertThat(introspect(lastRefresh).path("active").asBoolean())
        .as("the stored refresh token after logout")
        .isFalse();
    assertThat(TokenStores.open(Optional.of("memory"), cli.env).load("default")).isEmpty();
  }

  /** The tokens the command stored, registered so that no output may show them. */
  private TokenSet held() {
    TokenSet tokens =
        TokenStores.open(Optional.of("memory"), cli.env).load("default").orElseThrow();
    IssuedSecrets.register(tokens.accessToken().revealForTransmission());
    tokens.refreshToken().ifPresent(t -> IssuedSecrets.register(t.revealForTransmission()));
    tokens.idToken().ifPresent(t -> IssuedSecrets.register(t.revealForTransmission()));
    return tokens;
  }
}
