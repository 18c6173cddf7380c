package io.devicelogin.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.policy.RefreshTokenPolicy;
import io.devicelogin.server.store.User;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --demo}: the client {@code devicelogin-cli} and the user {@code demo}, created if absent,
 * with a generated password shown once to the person and to no log.
 */
@ExtendWith(NoSecretsInOutput.class)
class DemoModeTest {
  private static final Pattern GENERATED =
      Pattern.compile("username demo, password (\\S+) \\(shown once");
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+) ");

  @TempDir Path dataDir;

  /** What the server printed: the terminal of the person who started it, which is not a log. */
  private record Started(DeviceLoginServer server, String printed) {}

  private Started start(Map<String, String> env, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("--port", "0", "--data-dir", dataDir.toString(), "--demo"));
    args.addAll(List.of(extra));
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    DeviceLoginServer server =
        DeviceLoginServer.start(
            ServerConfig.parse(args, env),
            Clock.systemUTC(),
            new SecureRandom(),
            new PrintStream(terminal, true, StandardCharsets.UTF_8));
    String printed = terminal.toString(StandardCharsets.UTF_8);
    Matcher generated = GENERATED.matcher(printed);
    if (generated.find()) {
      // From here on, the password must not appear in any log line or in the test's own output.
      IssuedSecrets.register(generated.group(1));
    }
    return new Started(server, printed);
  }

  private static String generatedPassword(String printed) {
    Matcher m = GENERATED.matcher(printed);
    assertThat(m.find()).as("a generated password is printed").isTrue();
    return m.group(1);
  }

  @Test
  void aGeneratedPasswordIsPrintedOnceAndASecondStartKeepsTheUser() {
    String password;
    String userId;
    Started first = start(Map.of());
    try (DeviceLoginServer server = first.server()) {
      password = generatedPassword(first.printed());
      assertThat(password).hasSizeGreaterThanOrEqualTo(22);
      assertThat(first.printed()).containsOnlyOnce(password);
      User demo = server.context().users().authenticate("demo", Secret.of(password)).orElseThrow();
      assertThat(demo.isActive()).isTrue();
      userId = demo.id();
      assertThat(first.printed()).contains("listening on " + server.issuer());
    }

    Started second = start(Map.of());
    try (DeviceLoginServer server = second.server()) {
      assertThat(second.printed())
          .doesNotContain(password)
          .doesNotContain("password ")
          .contains("Demo user: demo (exists, unchanged)");
      assertThat(server.context().users().authenticate("demo", Secret.of(password)))
          .as("the user and its password are kept")
          .hasValueSatisfying(u -> assertThat(u.id()).isEqualTo(userId));
    }
  }

  @Test
  void thePasswordFromTheEnvironmentIsUsedAndNotPrinted() {
    String password = IssuedSecrets.fresh("demo-env-");
    Started started = start(Map.of("DEVICELOGIN_DEMO_PASSWORD", password));
    try (DeviceLoginServer server = started.server()) {
      assertThat(started.printed())
          .doesNotContain(password)
          .contains("Demo user created: username demo, password from DEVICELOGIN_DEMO_PASSWORD");
      assertThat(server.context().users().authenticate("demo", Secret.of(password))).isPresent();
    }
    // A later start with another password in the environment changes nothing: the user exists.
    Started again = start(Map.of("DEVICELOGIN_DEMO_PASSWORD", IssuedSecrets.fresh("other-")));
    try (DeviceLoginServer server = again.server()) {
      assertThat(server.context().users().authenticate("demo", Secret.of(password))).isPresent();
    }
  }

  @Test
  void theDemoClientWorksOverHttpWithEveryOpenIdScope() {
    Started started = start(Map.of("DEVICELOGIN_DEMO_PASSWORD", IssuedSecrets.fresh("pw-")));
    try (DeviceLoginServer server = started.server()) {
      Matcher url = LISTENING.matcher(started.printed());
      assertThat(url.find()).isTrue();
      assertThat(url.group(1))
          .isEqualTo(server.issuer())
          .isEqualTo("http://localhost:" + server.port());
      assertThat(started.printed()).contains("Demo client: devicelogin-cli");

      ClientPolicy client = server.context().clients().find("devicelogin-cli").orElseThrow();
      assertThat(client.isPublic()).isTrue();
      assertThat(client.refreshTokens()).isEqualTo(RefreshTokenPolicy.OFFLINE_ACCESS);
      assertThat(client.staysSignedIn(client.allowedScopes())).isTrue();

      HttpResponse<String> response =
          TestHttp.postForm(
              URI.create(server.issuer() + "/oauth2/device_authorization"),
              Map.of(
                  "client_id", "devicelogin-cli", "scope", "openid profile email offline_access"));
      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode body = TestHttp.json(response);
      IssuedSecrets.register(body.path("device_code").asText());
      assertThat(body.path("user_code").asText())
          .matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");

      JsonNode metadata =
          TestHttp.json(
              TestHttp.get(
                  URI.create(server.issuer() + "/.well-known/oauth-authorization-server")));
      assertThat(metadata.path("scopes_supported"))
          .extracting(JsonNode::asText)
          .contains("openid", "profile", "email", "offline_access");
    }
  }

  @Test
  void aClientOfTheSameIdInTheConfigurationFileWins() throws IOException {
    Path file =
        Files.writeString(
            dataDir.resolve("clients.json"),
            "{\"clients\": [{\"client_id\": \"devicelogin-cli\", \"scopes\": [\"openid\"], \"interval\": \"9s\"}]}");
    Started started =
        start(
            Map.of("DEVICELOGIN_DEMO_PASSWORD", IssuedSecrets.fresh("pw-")),
            "--config",
            file.toString());
    try (DeviceLoginServer server = started.server()) {
      ClientPolicy client = server.context().clients().find("devicelogin-cli").orElseThrow();
      assertThat(client.allowedScopes()).containsExactly("openid");
      assertThat(client.pollInterval()).hasSeconds(9);
    }
  }

  @Test
  void withoutDemoOrConfigurationTheServerSaysNoClientIsRegistered() {
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    try (DeviceLoginServer server =
        DeviceLoginServer.start(
            ServerConfig.parse(List.of("--port", "0", "--data-dir", dataDir.toString()), Map.of()),
            Clock.systemUTC(),
            new SecureRandom(),
            new PrintStream(terminal, true, StandardCharsets.UTF_8))) {
      assertThat(terminal.toString(StandardCharsets.UTF_8))
          .contains("No clients are registered")
          .contains("listening on " + server.issuer());
      assertThat(server.context().users().findByUsername("demo")).isEmpty();
      assertThat(server.context().clients().all()).isEmpty();
    }
  }
}
