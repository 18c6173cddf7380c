package io.devicelogin.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as a person runs it: {@code java -jar server/target/devicelogin-server.jar}, a
 * real process with the jar's own logging configuration. Runs after {@code package} (failsafe).
 */
class ServerJarIT {
  private static final Path JAR =
      Path.of(System.getProperty("devicelogin.server.jar", "target/devicelogin-server.jar"));
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
  private static final Pattern LISTENING =
      Pattern.compile("devicelogin server listening on (http://\\S+) ");
  private static final Pattern GENERATED =
      Pattern.compile("username demo, password (\\S+) \\(shown once");

  @TempDir Path dir;

  /** A finished run of the jar: exit code, standard output, standard error. */
  private record Finished(int exitCode, String out, String err) {}

  private ProcessBuilder jar(List<String> args) {
    List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar", JAR.toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    // The jar's defaults, whatever the environment of the build: a generated demo password, H2.
    builder.environment().keySet().removeIf(name -> name.startsWith("DEVICELOGIN_"));
    return builder;
  }

  private Finished runToEnd(String... args) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = jar(List.of(args)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the jar exits").isTrue();
    return new Finished(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** A server process, its URL, and how long it took from process start to printing the URL. */
  private record Running(Process process, String url, String printed, Duration startup, Path err) {
    Finished stop() throws Exception {
      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the server stops on SIGTERM").isTrue();
      return new Finished(process.exitValue(), printed, Files.readString(err));
    }
  }

  private Running start(String... args) throws Exception {
    Path err = Files.createTempFile(dir, "err", ".txt");
    long before = System.nanoTime();
    Process p = jar(List.of(args)).redirectError(err.toFile()).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder printed = new StringBuilder();
    String url =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                      printed.append(line).append('\n');
                      Matcher m = LISTENING.matcher(line);
                      if (m.find()) {
                        return m.group(1);
                      }
                    }
                    return null;
                  } catch (IOException e) {
                    return null;
                  }
                })
            .get(120, TimeUnit.SECONDS);
    Duration startup = Duration.ofNanos(System.nanoTime() - before);
    if (url == null) {
      p.destroyForcibly();
    }
    assertThat(url)
        .as(
            "the server prints its URL; it printed:%n%s%nand logged:%n%s",
            printed, Files.readString(err))
        .isNotNull();
    return new Running(p, url, printed.toString(), startup, err);
  }

  @Test
  void helpWorksFromTheShadedJar() throws Exception {
    assertThat(JAR).exists();
    Finished help = runToEnd("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .startsWith("Usage: java -jar devicelogin-server.jar")
        .contains("--demo", "--db-url");
    assertThat(help.err()).isEmpty();
  }

  @Test
  void aWrongOptionExitsTwoWithTheUsageOnStandardError() throws Exception {
    Finished wrong = runToEnd("--prot", "8080");
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.err())
        .startsWith("devicelogin-server: unknown option '--prot'")
        .contains("Usage:");
    assertThat(wrong.out()).isEmpty();
  }

  @Test
  void startsServesAndStopsAndASecondStartKeepsTheDemoUser() throws Exception {
    Path data = dir.resolve("data");
    Running first = start("--port", "0", "--data-dir", data.toString(), "--demo");
    String password;
    try {
      Matcher generated = GENERATED.matcher(first.printed());
      assertThat(generated.find()).as("the generated password is printed once").isTrue();
      password = generated.group(1);

      HttpResponse<String> health = TestHttp.get(URI.create(first.url() + "/healthz"));
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
      HttpResponse<String> metadata =
          TestHttp.get(URI.create(first.url() + "/.well-known/oauth-authorization-server"));
      assertThat(metadata.statusCode()).isEqualTo(200);
      assertThat(TestHttp.json(metadata).path("issuer").asText()).isEqualTo(first.url());
      assertThat(TestHttp.get(URI.create(first.url() + "/metrics")).body())
          .contains("devicelogin_requests_total");

      // A second server on the same data directory is told so, in one line.
      Finished rival = runToEnd("--port", "0", "--data-dir", data.toString());
      assertThat(rival.exitCode()).isEqualTo(1);
      assertThat(rival.err())
          .contains(
              "devicelogin-server: the data directory "
                  + data.toAbsolutePath()
                  + " is in use by another process")
          .doesNotContain("\tat ");
    } finally {
      Finished stopped = first.stop();
      assertThat(stopped.err()).doesNotContain("\tat ");
    }
    assertThat(Files.readString(first.err()))
        .as("the password reaches no log line")
        .doesNotContain(password);

    Running second = start("--port", "0", "--data-dir", data.toString(), "--demo");
    try {
      assertThat(second.printed())
          .doesNotContain(password)
          .doesNotContain("password ")
          .contains("Demo user: demo (exists, unchanged)");
      assertThat(TestHttp.get(URI.create(second.url() + "/healthz")).statusCode()).isEqualTo(200);
    } finally {
      second.stop();
    }
    System.out.printf(
        "start-up, java -jar to the printed URL: %d ms on a new data directory, %d ms on an"
            + " existing one%n",
        first.startup().toMillis(), second.startup().toMillis());
    assertThat(first.startup()).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void aTakenPortIsOneClearLineAndExitOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Finished run =
          runToEnd("--port", Integer.toString(port), "--data-dir", dir.resolve("data").toString());
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err())
          .contains("devicelogin-server: port " + port + " is in use")
          .doesNotContain("\tat ")
          .doesNotContain("Exception");
      assertThat(run.out()).doesNotContain("listening");
    }
  }

  @Test
  void anInvalidConfigurationFileIsOneClearLineAndExitOne() throws Exception {
    Path config =
        Files.writeString(dir.resolve("clients.json"), "{\"clients\": [{\"client_id\": \"x\",}]}");
    Finished run =
        runToEnd(
            "--port",
            "0",
            "--data-dir",
            dir.resolve("data").toString(),
            "--config",
            config.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .startsWith("devicelogin-server: " + config + " is not valid JSON (line 1, column ");
  }
}
