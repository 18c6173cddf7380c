package io.devicelogin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.client.wire.Json;
import io.devicelogin.server.DeviceLoginServer;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.testing.Backend;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Person;
import io.devicelogin.server.web.ServerContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code devicelogin server users …} as a real process: from an empty database to people who can
 * sign in, without SQL, on H2 (the server stopped) and on PostgreSQL (the server running); the last
 * administrator kept; a running server's H2 file refused in one line; and a person disabled from
 * the terminal is logged out of their CLI at once.
 */
@ExtendWith(NoSecretsInOutput.class)
class UsersCommandTest {
  private static final Pattern GENERATED =
      Pattern.compile("Password of (\\S+): (\\S+) \\(shown once");
  private static final String ME = "cli:" + System.getProperty("user.name");

  private final CliProcess cli = new CliProcess();
  private final List<AutoCloseable> started = new ArrayList<>();

  @TempDir Path dir;

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable c : started) {
      c.close();
    }
    cli.close();
  }

  /** Where the commands find the database: the options, and the environment for PostgreSQL. */
  private List<String> database;

  private CliProcess.Result users(String... args) throws Exception {
    return cli.run(command(args));
  }

  private String[] command(String... args) {
    List<String> all = new ArrayList<>(List.of("server", "users"));
    all.addAll(List.of(args));
    all.addAll(database);
    return all.toArray(String[]::new);
  }

  private static void ok(CliProcess.Result r) {
    assertThat(r.exit()).as(r.both()).isZero();
  }

  private static String generated(CliProcess.Result r) {
    Matcher m = GENERATED.matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    return IssuedSecrets.register(m.group(2));
  }

  /** On H2 the database is a data directory no server holds; on PostgreSQL a server runs on it. */
  private TestServer prepare(Backend backend) {
    if (backend == Backend.H2) {
      database = List.of("--data-dir", dir.resolve("data").toString());
      return null;
    }
    TestServer server = TestServer.start(Backend.POSTGRES);
    started.add(server);
    database = List.of("--db-url", server.databaseUrl().orElseThrow());
    cli.env.putAll(server.databaseEnvironment());
    return server;
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void everySubcommandManagesPeopleWithoutSql(Backend backend) throws Exception {
    TestServer running = prepare(backend);
    String alicePassword = IssuedSecrets.fresh("pw-");
    cli.env.put(UsersCommand.PASSWORD_VARIABLE, alicePassword);
    CliProcess.Result alice =
        users("add", "alice", "--admin", "--name", "Alice Example", "--email", "alice@example.com");
    ok(alice);
    assertThat(alice.out()).contains("Added alice (administrator)").doesNotContain("Password of");
    cli.env.remove(UsersCommand.PASSWORD_VARIABLE);

    String bobPassword = IssuedSecrets.fresh("pw-");
    CliProcess.Result bob =
        cli.runWithInput(bobPassword + "\n", command("add", "bob", "--password-stdin"));
    ok(bob);
    ok(users("add", "carol", "--upstream", "corp", "--subject", "0a1b2c"));
    CliProcess.Result dave = users("add", "dave");
    ok(dave);
    String davePassword = generated(dave);

    CliProcess.Result twice = users("add", "alice");
    assertThat(twice.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(twice.err()).contains("an account named alice exists already");

    CliProcess.Result list = users("list");
    ok(list);
    assertThat(list.out().lines().findFirst().orElseThrow())
        .contains("USERNAME")
        .contains("UPSTREAM:SUBJECT")
        .contains("LAST SIGN-IN");
    assertThat(list.out())
        .contains("Alice Example")
        .contains("corp:0a1b2c")
        .contains("alice@example.com");
    JsonNode json = Json.readTree(users("list", "--json", "--search", "0A1B").out());
    assertThat(json.size()).isEqualTo(1);
    assertThat(json.get(0).path("username").asText()).isEqualTo("carol");
    assertThat(json.get(0).path("upstream").asText()).isEqualTo("corp");
    assertThat(json.get(0).path("admin").asBoolean()).isFalse();

    ok(users("make-admin", "bob"));
    assertThat(users("show", "bob").out()).contains("Administrator: yes");
    ok(users("unmake-admin", "bob"));
    CliProcess.Result disabled = users("disable", "bob");
    ok(disabled);
    assertThat(disabled.out()).contains("Disabled bob; revoked 0 grant(s).");
    assertThat(users("show", "bob").out()).contains("Status:        disabled");
    ok(users("enable", "bob"));
    ok(users("unlock", "bob"));
    CliProcess.Result reset = users("reset-password", "dave");
    ok(reset);
    String daveNew = generated(reset);
    ok(users("delete", "carol"));
    CliProcess.Result gone = users("show", "carol");
    assertThat(gone.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(gone.err()).contains("there is no account named carol");

    // The people can sign in to a server on that database; the audit names who ran the command.
    DeviceLoginServer server =
        running != null
            ? running.server
            : TestServer.startFromArgs(
                List.of("--port", "0", "--data-dir", dir.resolve("data").toString()));
    if (running == null) {
      started.add(server);
    }
    ServerContext context = server.context();
    assertThat(context.users().authenticate("alice", Secret.of(alicePassword))).isPresent();
    assertThat(context.users().authenticate("bob", Secret.of(bobPassword))).isPresent();
    assertThat(context.users().authenticate("dave", Secret.of(davePassword))).isEmpty();
    assertThat(context.users().authenticate("dave", Secret.of(daveNew))).isPresent();
    assertThat(context.administration().isAdmin(context.users().findByUsername("alice").get()))
        .isTrue();
    assertThat(context.audit().find(null, null, null, 200))
        .filteredOn(e -> e.event() == AuditEvent.Type.ACCOUNT_DELETED)
        .singleElement()
        .satisfies(e -> assertThat(e.actor()).isEqualTo(ME));
  }

  @Test
  void theLastAdministratorIsNotDisabledDeletedOrUnmade() throws Exception {
    prepare(Backend.H2);
    cli.env.put(UsersCommand.PASSWORD_VARIABLE, IssuedSecrets.fresh("pw-"));
    ok(users("add", "alice", "--admin"));
    for (String change : List.of("disable", "delete", "unmake-admin")) {
      CliProcess.Result refused = users(change, "alice");
      assertThat(refused.exit()).as(change).isEqualTo(ExitCode.REFUSED);
      assertThat(refused.err()).contains("last active administrator");
    }
    ok(users("add", "bob", "--admin"));
    ok(users("disable", "alice"));
  }

  @Test
  void aRunningServersH2DatabaseIsRefusedInOneLineWithoutAStackTrace() throws Exception {
    TestServer server = TestServer.start(Backend.H2);
    started.add(server);
    database = List.of("--data-dir", server.dataDir.toString());
    CliProcess.Result r = users("list");
    assertThat(r.exit()).isEqualTo(ExitCode.UNEXPECTED);
    assertThat(r.err())
        .contains("is in use by another process")
        .contains("stop the server first")
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
  }

  @Test
  void disablingAPersonLogsTheirCliOutSoTheNextTokenExits7() throws Exception {
    TestServer server = prepare(Backend.POSTGRES);
    Secret password = server.createUser("erin", false);
    try (CliProcess.Running login =
        cli.start(
            "login",
            "--issuer",
            server.issuer(),
            "--client-id",
            TestClients.FAST_CLI,
            "--scope",
            "openid profile offline_access",
            "--json",
            "--no-browser",
            "--store",
            "memory")) {
      JsonNode code = Json.parseObject(login.nextLine(Duration.ofSeconds(30)));
      Person.of(server, "erin", password).approve(code.path("user_code").asText());
      login.nextLine(Duration.ofSeconds(30));
      CliProcess.Result r = login.finish(Duration.ofSeconds(30));
      assertThat(r.exit()).as(r.err()).isZero();
    }
    CliProcess.Result before = cli.run("token");
    assertThat(before.exit()).as(before.err()).isZero();
    IssuedSecrets.register(before.out().trim());

    CliProcess.Result disabled = users("disable", "erin");
    ok(disabled);
    assertThat(disabled.out()).contains("revoked 1 grant(s)");

    CliProcess.Result token = cli.run("token");
    assertThat(token.exit()).as(token.both()).isEqualTo(ExitCode.NOT_LOGGED_IN);
    assertThat(
            server
                .context()
                .tokens()
                .grantsOf(server.context().users().findByUsername("erin").orElseThrow().id()))
        .noneMatch(g -> g.active());
  }
}
