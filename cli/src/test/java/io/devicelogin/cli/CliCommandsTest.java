package io.devicelogin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.devicelogin.cli.store.TokenStores;
import io.devicelogin.client.Secret;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.client.wire.Json;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Person;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code devicelogin} process against a real server: approval over HTTP through the
 * server's pages, every command's exit code and output, and no token anywhere it should not be.
 */
@ExtendWith(NoSecretsInOutput.class)
class CliCommandsTest {
  private static TestServer server;
  private final CliProcess cli = new CliProcess();
  private final List<CliProcess.Result> results = new ArrayList<>();

  @TempDir static Path serverConfig;

  @BeforeAll
  static void startServer() throws IOException {
    Path config = serverConfig.resolve("clients.json");
    Files.writeString(
        config,
        """
        { "clients": [
            { "client_id": "devicelogin-cli", "name": "devicelogin CLI",
              "scopes": ["openid", "profile", "email", "offline_access"], "interval": "1s" },
            { "client_id": "short-cli", "name": "Short-lived codes",
              "scopes": ["openid", "profile"], "interval": "1s", "device_code_lifetime": "3s" } ] }
        """);
    server = TestServer.start(List.of("--config", config.toString()));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @AfterEach
  void cleanUp() {
    cli.close();
  }

  private CliProcess.Result run(String... args) throws Exception {
    CliProcess.Result r = cli.run(args);
    results.add(r);
    return r;
  }

  /** Logs in through the pages; returns the JSON outcome line. */
  private JsonNode login(String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "login",
                "--issuer",
                server.issuer(),
                "--json",
                "--no-browser",
                "--store",
                "memory"));
    args.addAll(List.of(extra));
    try (CliProcess.Running running = cli.start(args.toArray(String[]::new))) {
      JsonNode code = Json.parseObject(running.nextLine(Duration.ofSeconds(30)));
      assertThat(code.path("event").asText()).isEqualTo("code");
      assertThat(code.path("verification_uri_complete").asText()).contains("user_code=");
      Person.demo(server).approve(code.path("user_code").asText().toLowerCase().replace("-", " "));
      JsonNode outcome = Json.parseObject(running.nextLine(Duration.ofSeconds(30)));
      CliProcess.Result r = running.finish(Duration.ofSeconds(30));
      results.add(r);
      assertThat(r.exit()).as(r.err()).isZero();
      return outcome;
    }
  }

  private TokenSet held(String profile) {
    TokenSet tokens = TokenStores.open(Optional.of("memory"), cli.env).load(profile).orElseThrow();
    IssuedSecrets.register(tokens.accessToken().revealForTransmission());
    tokens.refreshToken().ifPresent(r -> IssuedSecrets.register(r.revealForTransmission()));
    return tokens;
  }

  @Test
  void theLoginNamesThisHostInItsRequestSoThePersonCanTellSessionsApart() throws Exception {
    cli.env.put("HOSTNAME", "build-01");
    login();
    String grantId = server.grantIdOf(held("default").accessToken().revealForTransmission());
    assertThat(server.context().tokens().findGrant(grantId).orElseThrow().deviceName())
        .startsWith("build-01 (")
        .contains(System.getProperty("os.name"));
  }

  @Test
  void loginStatusTokenExecLogout() throws Exception {
    JsonNode approved = login();
    assertThat(approved.path("event").asText()).isEqualTo("approved");
    assertThat(approved.path("subject").asText()).isEqualTo("demo");
    assertThat(approved.path("scope").asText().split(" "))
        .containsExactlyInAnyOrder("openid", "profile", "email", "offline_access");
    TokenSet tokens = held("default");

    CliProcess.Result status = run("status");
    assertThat(status.exit()).isZero();
    assertThat(status.out())
        .contains("Subject:   demo")
        .contains("offline_access")
        .contains("memory")
        .contains("Refresh:   held");

    CliProcess.Result token = run("token");
    assertThat(token.exit()).as(token.err()).isZero();
    Secret printed = Secret.of(token.out().trim());
    assertThat(server.context().tokens().validAccessToken(printed)).isPresent();

    CliProcess.Result narrow = run("token", "--scope", "openid");
    IssuedSecrets.register(narrow.out().trim());
    assertThat(
            server
                .context()
                .tokens()
                .validAccessToken(Secret.of(narrow.out().trim()))
                .orElseThrow()
                .scope())
        .containsExactly("openid");
    assertThat(held("default").scope())
        .as("the narrower token is not stored")
        .containsExactlyInAnyOrder("openid", "profile", "email", "offline_access");

    CliProcess.Result exec = execUserinfoProbe();
    assertThat(exec.exit()).as(exec.both()).isZero();
    CliProcess.Result execNarrow = execUserinfoProbe("--scope", "openid");
    assertThat(execNarrow.exit()).as(execNarrow.both()).isZero();
    CliProcess.Result childExit =
        run("exec", "--", "sh", "-c", "test -n \"$ACCESS_TOKEN\" && exit 42");
    assertThat(childExit.exit()).isEqualTo(42);

    TokenSet before = held("default");
    CliProcess.Result logout = run("logout");
    assertThat(logout.exit()).as(logout.err()).isZero();
    assertThat(logout.err()).contains("revoked");
    assertThat(server.context().tokens().validAccessToken(before.accessToken())).isEmpty();
    assertThat(run("status").exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
    assertThat(run("token").exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);

    assertNoTokenLeaked(
        List.of(tokens.accessToken(), tokens.refreshToken().orElseThrow(), printed), token);
  }

  @Test
  void parallelCommandsNeedingARefreshRefreshOnceAndAllGetTheNewToken() throws Exception {
    login();
    TokenSet held = held("default");
    String grantId =
        server.context().tokens().verifyAccessToken(held.accessToken()).orElseThrow().grantId();
    // The stored access token has run out: every command below must refresh before it can answer.
    TokenSet expired =
        new TokenSet(
            held.accessToken(),
            held.refreshToken().orElseThrow(),
            held.idToken().orElse(null),
            held.tokenType(),
            held.issuedAt().minus(Duration.ofHours(1)),
            Instant.now().minusSeconds(60),
            held.scope(),
            held.additional());
    TokenStores.open(Optional.of("memory"), cli.env).save("default", expired);

    List<CliProcess.Running> commands = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        commands.add(cli.start("token"));
      }
      List<String> printed = new ArrayList<>();
      for (CliProcess.Running command : commands) {
        CliProcess.Result r = command.finish(Duration.ofSeconds(60));
        results.add(r);
        IssuedSecrets.register(r.out().trim());
        assertThat(r.exit()).as(r.err()).isZero();
        printed.add(r.out().trim());
      }
      assertThat(printed)
          .as("every command printed the one refreshed token")
          .hasSize(6)
          .containsOnly(printed.get(0))
          .doesNotContain(held.accessToken().revealForTransmission());
    } finally {
      commands.forEach(CliProcess.Running::close);
    }
    assertThat(server.context().audit().find(null, null, grantId, 1000))
        .filteredOn(e -> e.event() == AuditEvent.Type.REFRESHED)
        .hasSize(1);
    assertThat(server.context().tokens().findGrant(grantId).orElseThrow().active())
        .as("the login survives")
        .isTrue();
  }

  @Test
  void aRevokedGrantMakesTokenAndExecExit7() throws Exception {
    login();
    TokenSet tokens = held("default");
    String grant =
        server.context().tokens().validAccessToken(tokens.accessToken()).orElseThrow().grantId();
    server.context().tokens().revokeGrant(grant, "user:demo", "test", new Origin(null, null));

    CliProcess.Result token = run("token");
    assertThat(token.exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
    assertThat(token.err()).contains("run 'devicelogin login'");
    assertThat(run("exec", "--", "true").exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
  }

  @Test
  void deniedExits3() throws Exception {
    try (CliProcess.Running running =
        cli.start(
            "login", "--issuer", server.issuer(), "--json", "--no-browser", "--store", "memory")) {
      JsonNode code = Json.parseObject(running.nextLine(Duration.ofSeconds(30)));
      Person.demo(server).deny(code.path("user_code").asText());
      JsonNode outcome = Json.parseObject(running.nextLine(Duration.ofSeconds(30)));
      CliProcess.Result r = running.finish(Duration.ofSeconds(30));
      assertThat(r.exit()).isEqualTo(ExitCode.ACCESS_DENIED);
      assertThat(outcome.path("error").asText()).isEqualTo("access_denied");
      assertThat(r.err()).contains("denied");
    }
  }

  @Test
  void aCodeLeftAloneExits4AtExpiry() throws Exception {
    CliProcess.Result r =
        run(
            "login",
            "--issuer",
            server.issuer(),
            "--client-id",
            "short-cli",
            "--no-browser",
            "--store",
            "memory");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.CODE_EXPIRED);
    assertThat(r.err()).contains("expired");
  }

  @Test
  void aServerThatCannotBeReachedExits6() throws Exception {
    CliProcess.Result r =
        run("login", "--issuer", "http://127.0.0.1:9", "--no-browser", "--store", "memory");
    assertThat(r.exit()).isEqualTo(ExitCode.SERVER_UNREACHABLE);
    assertThat(r.err()).contains("127.0.0.1:9").doesNotContain("Exception");
  }

  @Test
  void usageErrorsExit2WithAMessage() throws Exception {
    CliProcess.Result none = run("login", "--no-browser");
    assertThat(none.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(none.err()).contains("--issuer");
    CliProcess.Result unknown = run("login", "--bogus");
    assertThat(unknown.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(unknown.err()).contains("--bogus");
  }

  @Test
  void logoutWhenTheServerIsGoneStillForgetsAndSaysTheGrantMayBeLive() throws Exception {
    try (TestServer other = TestServer.start()) {
      try (CliProcess.Running running =
          cli.start(
              "login",
              "--issuer",
              other.issuer(),
              "--json",
              "--no-browser",
              "--store",
              "memory",
              "--profile",
              "other")) {
        JsonNode code = Json.parseObject(running.nextLine(Duration.ofSeconds(30)));
        other.approve(code.path("user_code").asText());
        running.nextLine(Duration.ofSeconds(30));
        assertThat(running.finish(Duration.ofSeconds(30)).exit()).isZero();
      }
      held("other");
    }
    CliProcess.Result logout = run("logout", "--profile", "other");
    assertThat(logout.exit()).isEqualTo(ExitCode.SERVER_UNREACHABLE);
    assertThat(logout.err()).contains("may still be live");
    assertThat(TokenStores.open(Optional.of("memory"), cli.env).load("other")).isEmpty();
  }

  @Test
  void tokenRefusesATerminalUnlessRevealed() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Environment terminal =
        new Environment(
            cli.env,
            new PrintStream(out, true),
            new PrintStream(err, true),
            Clock.systemUTC(),
            true,
            true);

    int exit = Main.run(new String[] {"token"}, terminal);

    assertThat(exit).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString())
        .contains("refusing to print a token to a terminal")
        .contains("--reveal");
    assertThat(out.size()).isZero();
  }

  @Test
  void theServerCommandTakesTheServersOptions() throws Exception {
    CliProcess.Result help = run("server", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("--data-dir").contains("--demo");
    CliProcess.Result wrong = run("server", "--port", "x");
    assertThat(wrong.exit()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void versionAndHelp() throws Exception {
    CliProcess.Result version = run("--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out()).startsWith("devicelogin ");
    CliProcess.Result help = run("login", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out())
        .contains("--no-browser")
        .contains("Exit codes:")
        .contains("7 not logged in");
    CliProcess.Result completion = run("completion", "bash");
    assertThat(completion.exit()).isZero();
    assertThat(completion.out()).contains("devicelogin").contains("complete");
  }

  private void assertNoTokenLeaked(List<Secret> secrets, CliProcess.Result allowedTokenOutput)
      throws IOException {
    for (Secret s : secrets) {
      String raw = s.revealForTransmission();
      for (CliProcess.Result r : results) {
        String checked = r == allowedTokenOutput ? r.err() : r.both();
        assertThat(checked.contains(raw)).as("a token in a command's output").isFalse();
      }
      for (String file : cli.filesWritten()) {
        assertThat(file.contains(raw))
            .as("a token in a file the command wrote: %s", file.lines().findFirst().orElse(""))
            .isFalse();
      }
    }
  }

  /** {@code exec [options] -- java UserinfoProbe URL}: the token in a child's environment only. */
  private CliProcess.Result execUserinfoProbe(String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("exec"));
    args.addAll(List.of(options));
    args.addAll(
        List.of(
            "--",
            javaBin(),
            "-cp",
            System.getProperty("java.class.path"),
            UserinfoProbe.class.getName(),
            server.issuer() + "/userinfo"));
    return run(args.toArray(String[]::new));
  }

  private static String javaBin() {
    return ProcessHandle.current().info().command().orElse("java");
  }
}
