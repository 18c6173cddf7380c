package io.devicelogin.bench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.devicelogin.cli.CliProcess;
import io.devicelogin.client.Secret;
import io.devicelogin.client.wire.Json;
import io.devicelogin.server.web.Person;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command, logged in, as the start-up benchmark times it: the server jar started with {@code
 * --demo} in its own process (the real clock, so the tokens are fresh as a user's are), the real
 * {@code devicelogin login} approved over HTTP by {@link Person}, and the tokens kept in the
 * in-memory agent. The command gets a clean environment of its own, as {@link CliProcess} gives the
 * tests; {@link #close()} stops the server and the agent and deletes that home.
 */
final class LoggedInCommand implements AutoCloseable {
  static final Duration SETUP_TIMEOUT = Duration.ofMinutes(5);
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

  private final Checkout checkout;
  private final CliProcess cli = new CliProcess();
  private final Path scratch = cli.home.resolve("bench");
  private CliProcess.Running server;
  private String store;

  LoggedInCommand(Checkout checkout) {
    this.checkout = checkout;
  }

  /**
   * Builds the command if needed, starts the server on {@code java}, logs in, and checks that
   * {@code status} and {@code token} work.
   */
  void logIn(String java) throws IOException, InterruptedException {
    Files.createDirectories(scratch);
    // Builds the command first if the launcher finds it missing or stale, so no round pays for
    // that.
    check(run(List.of(launcher(), "--version"), SETUP_TIMEOUT), "devicelogin --version");

    String password = "bench-" + randomToken();
    // A copy: a JVM whose jar is rebuilt under it (mvn package in the same checkout) loads the
    // new jar's bytes at the old offsets and fails, or worse, spins.
    Path serverCopy = Files.copy(checkout.serverJar, scratch.resolve("devicelogin-server.jar"));
    server = startServer(java, serverCopy, scratch.resolve("server-data"), password);
    store = login(awaitIssuer(), password);

    CliProcess.Result status = run(List.of(launcher(), "status"), Duration.ofSeconds(60));
    check(status, "devicelogin status");
    if (!status.out().contains("Subject:   demo")) {
      throw new IllegalStateException(
          "devicelogin status does not show the login:\n" + status.both());
    }
    check(run(List.of(launcher(), "token"), Duration.ofSeconds(60)), "devicelogin token");
  }

  /** The launcher's path, as a command line's first word. */
  String launcher() {
    return checkout.launcher.toString();
  }

  /** A folder under the command's home for the benchmark's own files. */
  Path scratch() {
    return scratch;
  }

  /** Where the login keeps the tokens, and why there, for the report. */
  String store() {
    return store;
  }

  /**
   * {@code command} in the checkout with the command's environment only and standard input empty.
   */
  ProcessBuilder processBuilder(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(checkout.root.toFile());
    builder.environment().clear();
    builder.environment().putAll(cli.env);
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return builder;
  }

  /** Runs {@code command} to its end within 60 s; fails unless it exits 0. */
  CliProcess.Result runChecked(List<String> command) throws IOException, InterruptedException {
    CliProcess.Result result = run(command, Duration.ofSeconds(60));
    check(result, String.join(" ", command));
    return result;
  }

  private CliProcess.Result run(List<String> command, Duration max)
      throws IOException, InterruptedException {
    try (CliProcess.Running running = new CliProcess.Running(processBuilder(command).start())) {
      return running.finish(max);
    }
  }

  private String login(String issuer, String password) throws IOException, InterruptedException {
    ProcessBuilder builder =
        processBuilder(
            List.of(
                launcher(),
                "login",
                "--issuer",
                issuer,
                "--json",
                "--no-browser",
                "--store",
                "memory"));
    try (CliProcess.Running running = new CliProcess.Running(builder.start())) {
      JsonNode code = Json.parseObject(running.nextLine(SETUP_TIMEOUT));
      if (!code.path("event").asText().equals("code")) {
        throw new IllegalStateException("devicelogin login did not show a code: " + code);
      }
      Person.at(URI.create(issuer), "demo", Secret.of(password))
          .approve(code.path("user_code").asText());
      JsonNode outcome = Json.parseObject(running.nextLine(Duration.ofSeconds(60)));
      CliProcess.Result result = running.finish(Duration.ofSeconds(60));
      check(result, "devicelogin login");
      if (!outcome.path("event").asText().equals("approved")) {
        throw new IllegalStateException("devicelogin login was not approved: " + outcome);
      }
      return "in-memory agent (`--store memory`): the OS keyring needs a desktop session's D-Bus and Secret"
          + " Service, which a benchmark run does not have (the store was `"
          + outcome.path("store").asText()
          + "`)";
    }
  }

  private static CliProcess.Running startServer(
      String java, Path serverJar, Path dataDir, String password) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
            java,
            "-jar",
            serverJar.toString(),
            "--port",
            "0",
            "--data-dir",
            dataDir.toString(),
            "--demo");
    builder.environment().put("DEVICELOGIN_DEMO_PASSWORD", password);
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return new CliProcess.Running(builder.start());
  }

  private String awaitIssuer() throws InterruptedException {
    long deadline = System.nanoTime() + SETUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = LISTENING.matcher(server.nextLine(SETUP_TIMEOUT));
      if (m.find()) {
        return m.group(1);
      }
    }
    throw new IllegalStateException("the server did not start: " + server.out() + server.err());
  }

  private static void check(CliProcess.Result result, String what) {
    if (result.exit() != 0) {
      throw new IllegalStateException(
          what + " exited with " + result.exit() + ":\n" + result.err());
    }
  }

  private static String randomToken() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Stops the server, then the agent, and deletes the command's home. */
  @Override
  public void close() {
    if (server != null) {
      server.close();
      try {
        server.process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    cli.close();
  }
}
