package io.devicelogin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.Secret;
import io.devicelogin.server.http.ConnectionLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line: every option, every mistake, and what {@code main} answers to each. */
class ServerConfigTest {
  private static ServerConfig parse(String... args) {
    return ServerConfig.parse(List.of(args), Map.of());
  }

  @Nested
  class Parsing {
    @Test
    void defaults() {
      ServerConfig c = parse();
      assertThat(c.port()).isEqualTo(8080);
      assertThat(c.host()).isEqualTo("127.0.0.1");
      assertThat(c.dataDir()).isEqualTo(Path.of("devicelogin-data"));
      assertThat(c.dbUrl()).isEmpty();
      assertThat(c.dbUser()).isEmpty();
      assertThat(c.dbPassword()).isEmpty();
      assertThat(c.configFile()).isEmpty();
      assertThat(c.issuer()).isEmpty();
      assertThat(c.trustedProxies()).isEmpty();
      assertThat(c.demo()).isFalse();
      assertThat(c.demoPassword()).isEmpty();
    }

    @Test
    void everyOptionWithItsValueAsTheNextArgument() {
      ServerConfig c =
          parse(
              "--port",
              "9090",
              "--host",
              "0.0.0.0",
              "--data-dir",
              "/var/lib/dl",
              "--db-url",
              "jdbc:postgresql://db.example.com/devicelogin",
              "--config",
              "/etc/dl/clients.json",
              "--issuer",
              "https://login.example.com/",
              "--trusted-proxy",
              "10.0.0.1",
              "--trusted-proxy",
              "fd00::/8",
              "--demo");
      assertThat(c.port()).isEqualTo(9090);
      assertThat(c.host()).isEqualTo("0.0.0.0");
      assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/dl"));
      assertThat(c.dbUrl()).contains("jdbc:postgresql://db.example.com/devicelogin");
      assertThat(c.configFile()).contains(Path.of("/etc/dl/clients.json"));
      assertThat(c.issuer()).as("the trailing slash goes").contains("https://login.example.com");
      assertThat(c.trustedProxies()).containsExactlyInAnyOrder("10.0.0.1", "fd00::/8");
      assertThat(c.demo()).isTrue();
    }

    @Test
    void everyOptionWithItsValueAfterAnEqualsSign() {
      ServerConfig c =
          parse(
              "--port=0",
              "--host=::1",
              "--data-dir=data",
              "--db-url=jdbc:h2:mem:x",
              "--config=c.json",
              "--issuer=http://localhost:8080",
              "--trusted-proxy=192.0.2.0/24");
      assertThat(c.port()).isZero();
      assertThat(c.host()).isEqualTo("::1");
      assertThat(c.dataDir()).isEqualTo(Path.of("data"));
      assertThat(c.dbUrl()).contains("jdbc:h2:mem:x");
      assertThat(c.configFile()).contains(Path.of("c.json"));
      assertThat(c.issuer()).contains("http://localhost:8080");
      assertThat(c.trustedProxies()).containsExactly("192.0.2.0/24");
    }

    @Test
    void passwordsComeFromTheEnvironmentAndNeverPrint() {
      ServerConfig c =
          ServerConfig.parse(
              List.of("--demo"),
              Map.of(
                  "DEVICELOGIN_DB_USER",
                  "dl",
                  "DEVICELOGIN_DB_PASSWORD",
                  "db-pass-7",
                  "DEVICELOGIN_DEMO_PASSWORD",
                  "demo-pass-9"));
      assertThat(c.dbUser()).contains("dl");
      assertThat(c.dbPassword().map(Secret::revealForTransmission)).contains("db-pass-7");
      assertThat(c.demoPassword().map(Secret::revealForTransmission)).contains("demo-pass-9");
      assertThat(c.toString()).doesNotContain("db-pass-7").doesNotContain("demo-pass-9");
    }

    @Test
    void emptyEnvironmentValuesCountAsAbsent() {
      ServerConfig c =
          ServerConfig.parse(
              List.of(), Map.of("DEVICELOGIN_DEMO_PASSWORD", "", "DEVICELOGIN_DB_USER", ""));
      assertThat(c.demoPassword()).isEmpty();
      assertThat(c.dbUser()).isEmpty();
    }

    @Test
    void theHelpOptionsAreRecognisedAnywhere() {
      assertThat(ServerConfig.wantsHelp(List.of("--port", "1", "--help"))).isTrue();
      assertThat(ServerConfig.wantsHelp(List.of("-h"))).isTrue();
      assertThat(ServerConfig.wantsHelp(List.of("--demo"))).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "--prot 8080                       | unknown option '--prot'",
          "-p 8080                           | unknown option '-p'",
          "8080                              | unexpected argument '8080'",
          "--port                            | --port needs a value",
          "--port --demo                     | --port needs a value",
          "--port=                           | --port needs a value",
          "--data-dir                        | --data-dir needs a value",
          "--config                          | --config needs a value",
          "--port abc                        | --port needs a number from 0 to 65535, not 'abc'",
          "--port 65536                      | --port needs a number from 0 to 65535, not '65536'",
          "--port -1                         | --port needs a number from 0 to 65535, not '-1'",
          "--port 1 --port 2                 | --port is given twice",
          "--demo --demo                     | --demo is given twice",
          "--demo=yes                        | --demo takes no value",
          "--db-url mysql://db/x             | --db-url needs a JDBC URL that starts with jdbc:postgresql:",
          "--db-url jdbc:mysql://db/x        | --db-url needs a JDBC URL that starts with jdbc:postgresql:",
          "--db-url jdbc:postgresql://db/x?user=a&password=b | --db-url must not hold the password",
          "--issuer login.example.com        | --issuer needs an http:// or https:// URL",
          "--issuer ftp://login.example.com  | --issuer needs an http:// or https:// URL",
          "--issuer https://login.example.com?x=1 | no query or fragment",
          "--issuer https://login.example.com#top | no query or fragment",
          "--issuer https://user@login.example.com | --issuer needs an http:// or https:// URL",
          "--issuer https://                 | --issuer needs an http:// or https:// URL",
          "--trusted-proxy proxy.internal    | --trusted-proxy needs an IP address or a CIDR block",
          "--trusted-proxy 10.0.0.0/33       | --trusted-proxy needs an IP address or a CIDR block",
          "--request-deadline soon           | --request-deadline is not a duration",
          "--request-deadline 0s             | --request-deadline must be longer than zero",
          "--min-body-rate fast              | --min-body-rate needs a whole number, 0 or more",
          "--connections-per-address -1      | --connections-per-address needs a whole number, 0 or more"
        })
    void mistakesAreClearOneLineMessages(String commandLine, String message) {
      List<String> args = List.of(commandLine.split(" "));
      assertThatThrownBy(() -> ServerConfig.parse(args, Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(message)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void theLimitsOnSlowSendersDefaultAndAreOptions() {
      assertThat(parse().connectionLimits())
          .isEqualTo(new ConnectionLimits(Duration.ofSeconds(10), 256, 64));
      assertThat(
              parse(
                      "--request-deadline",
                      "3s",
                      "--min-body-rate=0",
                      "--connections-per-address",
                      "8")
                  .connectionLimits())
          .isEqualTo(new ConnectionLimits(Duration.ofSeconds(3), 0, 8));
      assertThat(
              parse("--connections-per-address", "5").withPort(1).connectionLimits().perAddress())
          .isEqualTo(5);
    }

    @Test
    void aRejectedDatabaseUrlIsNotRepeatedForItMayHoldAPassword() {
      assertThatThrownBy(() -> parse("--db-url", "mysql://u:hunter2@db/x"))
          .hasMessageNotContaining("hunter2");
    }

    @Test
    void withersKeepEverythingElse() {
      ServerConfig c =
          parse("--demo", "--trusted-proxy", "10.0.0.1")
              .withPort(1234)
              .withDbUrl("jdbc:postgresql://h/db", "u", "p");
      assertThat(c.port()).isEqualTo(1234);
      assertThat(c.demo()).isTrue();
      assertThat(c.trustedProxies()).isEqualTo(Set.of("10.0.0.1"));
      assertThat(c.dbUrl()).contains("jdbc:postgresql://h/db");
      assertThat(c.dbUser()).contains("u");
      assertThat(c.dbPassword().map(Secret::revealForTransmission)).isEqualTo(Optional.of("p"));
    }
  }

  /** {@code main}'s behaviour, through {@link ServerMain#run}: its output and exit code. */
  @Nested
  class Main {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    @TempDir Path dir;

    private int run(String... args) {
      return ServerMain.run(
          List.of(args),
          Map.of(),
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
      return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
      return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsTheUsageAndExitsZero() {
      assertThat(run("--help")).isZero();
      assertThat(out()).isEqualTo(ServerConfig.USAGE + System.lineSeparator());
      assertThat(err()).isEmpty();
      assertThat(run("--port", "nonsense", "-h")).as("help wins over mistakes").isZero();
    }

    @Test
    void theUsageNamesEveryOption() {
      assertThat(ServerConfig.USAGE)
          .contains(
              "--port",
              "--host",
              "--data-dir",
              "--db-url",
              "--config",
              "--issuer",
              "--trusted-proxy",
              "--request-deadline",
              "--min-body-rate",
              "--connections-per-address",
              "--demo",
              "--help",
              "DEVICELOGIN_DB_USER",
              "DEVICELOGIN_DB_PASSWORD",
              "DEVICELOGIN_DEMO_PASSWORD",
              "0.0.0.0");
    }

    @Test
    void aWrongCommandLinePrintsTheMessageAndTheUsageToStandardErrorAndExitsTwo() {
      assertThat(run("--datadir", "x")).isEqualTo(2);
      assertThat(err())
          .startsWith("devicelogin-server: unknown option '--datadir'" + System.lineSeparator())
          .contains(ServerConfig.USAGE);
      assertThat(out()).isEmpty();
    }

    @Test
    void aMissingConfigurationFileIsOneLineAndExitOne() {
      Path missing = dir.resolve("clients.json");
      assertThat(
              run(
                  "--port",
                  "0",
                  "--data-dir",
                  dir.resolve("data").toString(),
                  "--config",
                  missing.toString()))
          .isEqualTo(1);
      assertThat(err())
          .isEqualTo(
              "devicelogin-server: cannot read the configuration file "
                  + missing
                  + ": no such file"
                  + System.lineSeparator());
      assertThat(dir.resolve("data"))
          .as("a start that fails on the file leaves no data behind")
          .doesNotExist();
    }

    @Test
    void anInvalidConfigurationFileIsOneLineAndExitOne() throws IOException {
      Path file =
          Files.writeString(
              dir.resolve("clients.json"),
              "{\"clients\": [{\"client_id\": \"x\", \"intervall\": 5}]}");
      assertThat(
              run(
                  "--port",
                  "0",
                  "--data-dir",
                  dir.resolve("data").toString(),
                  "--config",
                  file.toString()))
          .isEqualTo(1);
      assertThat(err().lines())
          .singleElement()
          .asString()
          .startsWith("devicelogin-server: " + file + ": client 'x': unknown member 'intervall'");
      assertThat(err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsOneLineAndExitOne() throws IOException {
      Path file = Files.writeString(dir.resolve("a-file"), "");
      assertThat(run("--port", "0", "--data-dir", file.toString(), "--demo")).isEqualTo(1);
      assertThat(err())
          .isEqualTo(
              "devicelogin-server: cannot create the data directory "
                  + file.toAbsolutePath()
                  + ": a file of that name is in the way"
                  + System.lineSeparator());
    }

    @Test
    void aTakenPortIsOneLineAndExitOne() throws IOException {
      try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
        String port = Integer.toString(taken.getLocalPort());
        assertThat(run("--port", port, "--data-dir", dir.toString(), "--demo")).isEqualTo(1);
        assertThat(err())
            .isEqualTo(
                "devicelogin-server: port "
                    + port
                    + " is in use; stop what listens there or"
                    + " choose another with --port"
                    + System.lineSeparator());
        assertThat(out())
            .as("no URL is printed for a server that does not listen")
            .doesNotContain("listening");
      }
      // Everything it opened was closed: the same data directory starts at once.
      try (DeviceLoginServer again =
          DeviceLoginServer.start(
              parse("--port", "0", "--data-dir", dir.toString()),
              Clock.systemUTC(),
              new SecureRandom(),
              new PrintStream(out, true))) {
        assertThat(again.port()).isPositive();
      }
    }

    @Test
    void anUnreachableDatabaseIsOneLineAndExitOne() throws IOException {
      int closedPort;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
        closedPort = s.getLocalPort();
      }
      assertThat(
              run(
                  "--port",
                  "0",
                  "--db-url",
                  "jdbc:postgresql://127.0.0.1:" + closedPort + "/devicelogin"))
          .isEqualTo(1);
      assertThat(err())
          .startsWith(
              "devicelogin-server: cannot open the database jdbc:postgresql://127.0.0.1:"
                  + closedPort
                  + "/devicelogin: ")
          .contains("refused");
      assertThat(err().lines()).hasSize(1);
    }
  }

  @Test
  void theDefaultIssuerIsHowAPersonOnThisMachineReachesTheServer() {
    assertThat(ServerConfig.defaultIssuer("127.0.0.1", 8080)).isEqualTo("http://localhost:8080");
    assertThat(ServerConfig.defaultIssuer("0.0.0.0", 8080)).isEqualTo("http://localhost:8080");
    assertThat(ServerConfig.defaultIssuer("::", 8080)).isEqualTo("http://localhost:8080");
    assertThat(ServerConfig.defaultIssuer("::1", 8080)).isEqualTo("http://[::1]:8080");
    assertThat(ServerConfig.defaultIssuer("192.0.2.10", 8080)).isEqualTo("http://192.0.2.10:8080");
    assertThat(ServerConfig.defaultIssuer("login.internal", 80))
        .isEqualTo("http://login.internal:80");
  }
}
