package io.devicelogin.e2e.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devicelogin.cli.CliProcess;
import io.devicelogin.cli.ExitCode;
import io.devicelogin.cli.store.TokenStores;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.Secret;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.client.testing.SecretFinder;
import io.devicelogin.server.DemoUser;
import io.devicelogin.server.ServerMain;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.testing.Directories;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * With every logger at TRACE, in the server and in the command, a whole run (a login approved in
 * the browser after a wrong code and a mistyped password, status, exec, token with its refreshes,
 * logout, then a login by the library in this JVM and the errors a person or a program can cause)
 * leaves none of the secrets used in it, whole or a 16-character piece ({@link SecretFinder}), in
 * any place someone other than their holder can read: the server's log and output, the command's
 * output (but what {@code token} prints, as asked) and files, every row of the database (the audit
 * trail among them), {@code /metrics}, every answer the server sent but the ones that hand out
 * codes and tokens, and the exceptions the client library throws.
 *
 * <p>The server runs as a process with a Logback configuration of its own at TRACE for every
 * logger, as an operator who turns everything on would give it ({@code
 * -Dlogback.configurationFile}), and with H2's own trace sent to SLF4J ({@code
 * TRACE_LEVEL_FILE=4}), so that the SQL it runs is logged with its parameters. The command runs
 * with the logging it has when installed ({@code CommandLogging}), with {@code
 * DEVICELOGIN_LOG_LEVEL=TRACE}. Everything goes through a {@link WireTap}, the server's issuer, so
 * that the test knows every secret that crossed the wire, the command's device code and rotated
 * tokens among them. (The JDK's HttpClient logs through {@code java.util.logging}, which nothing
 * here bridges to SLF4J: no logger level reaches it.)
 */
@ExtendWith(NoSecretsInOutput.class)
class SecretsAtTraceTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private static final String CLIENT = "devicelogin-cli";
  private static final String RESOURCE_SERVER = "inventory-api";

  /**
   * Shorter than the 30 seconds before expiry at which the command refreshes: every {@code exec}
   * and {@code token} refreshes, as it would with a token about to expire, without waiting for one.
   */
  private static final String ACCESS_TOKEN_LIFETIME = "25s";

  /** Every secret of the run, with what it is; registered with {@link IssuedSecrets} too. */
  private final Map<String, String> secrets = new LinkedHashMap<>();

  /** Every place checked, by name, with its text. */
  private final Map<String, String> sinks = new LinkedHashMap<>();

  @Test
  void aWholeRunWithEveryLoggerAtTraceLeavesNoSecretAnywhere() throws Exception {
    Chromium.requireInstalled();
    Path work = Files.createTempDirectory("devicelogin-secrets");
    String demoPassword = secret("the demo user's password", IssuedSecrets.fresh("demo-pw-"));
    String mistyped =
        secret(
            "the demo password, mistyped",
            demoPassword.substring(0, demoPassword.length() - 1)
                + (demoPassword.endsWith("x") ? "y" : "x"));
    String dbPassword = secret("the database password", IssuedSecrets.fresh("db-pw-"));
    String resourceSecret =
        secret("the resource server's client secret", IssuedSecrets.fresh("rs-secret-"));
    String wrongSecret = secret("a wrong client secret", IssuedSecrets.fresh("wrong-secret-"));
    Path clients = work.resolve("clients.json");
    Files.writeString(
        clients,
        "{ \"clients\": [\n"
            + "  { \"client_id\": \""
            + CLIENT
            + "\", \"name\": \"devicelogin CLI\", \"interval\": \"1s\",\n"
            + "    \"access_token_lifetime\": \""
            + ACCESS_TOKEN_LIFETIME
            + "\",\n"
            + "    \"scopes\": [\"openid\", \"profile\", \"email\", \"offline_access\"] },\n"
            + "  { \"client_id\": \""
            + RESOURCE_SERVER
            + "\", \"name\": \"Inventory API\", \"introspection\": true,\n"
            + "    \"client_secret_sha256\": \""
            + Hashing.sha256(resourceSecret)
            + "\" } ] }\n");

    int serverPort = freePort();
    try (CliProcess cli = new CliProcess().withInstalledLogging();
        WireTap wire = new WireTap(serverPort)) {
      cli.env.put("DEVICELOGIN_LOG_LEVEL", "TRACE");
      run(
          wire,
          work,
          cli,
          serverPort,
          clients,
          demoPassword,
          mistyped,
          dbPassword,
          resourceSecret,
          wrongSecret);
    } finally {
      Directories.deleteQuietly(work);
    }
    checkEverything();
  }

  private void run(
      WireTap wire,
      Path work,
      CliProcess cli,
      int serverPort,
      Path clients,
      String demoPassword,
      String mistyped,
      String dbPassword,
      String resourceSecret,
      String wrongSecret)
      throws Exception {
    // Everything goes through the tap, the server's issuer: the test learns every secret on the
    // wire.
    String issuer = wire.url();
    List<String> serverOutput;
    String dbUrl =
        "jdbc:h2:file:"
            + work.resolve("db").resolve("devicelogin")
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    try (TracingServer server =
            TracingServer.start(
                work,
                List.of(
                    "--port",
                    Integer.toString(serverPort),
                    "--issuer",
                    issuer,
                    "--config",
                    clients.toString(),
                    "--demo",
                    // H2 sends its trace, statements and their parameters included, to SLF4J.
                    "--db-url",
                    dbUrl + ";TRACE_LEVEL_FILE=4"),
                Map.of(
                    "DEVICELOGIN_DEMO_PASSWORD",
                    demoPassword,
                    "DEVICELOGIN_DB_USER",
                    "devicelogin",
                    "DEVICELOGIN_DB_PASSWORD",
                    dbPassword));
        Chromium chromium = Chromium.start()) {
      try {
        commandLineRun(cli, chromium, issuer, demoPassword, mistyped, resourceSecret);
        libraryRun(chromium, issuer, resourceSecret, wrongSecret);
        HttpResponse<String> metrics = call("GET", issuer + "/metrics", null, null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        contains(metrics.body(), "/metrics", "devicelogin_requests_total", "invalid_grant");
        sinks.put("GET /metrics", metrics.body());
      } finally {
        TokenStores.stopAgent(cli.env);
      }
      serverOutput = server.stop();
    }
    sinks.put("the server's log (standard error)", serverOutput.get(1));
    sinks.put("the server's standard output", serverOutput.get(0));
    readDatabase(dbUrl, dbPassword);
    sinks.put("the files the command wrote under its home", String.join("\n", cli.filesWritten()));
    secretsOnTheWire(wire.everything());
    answers(wire.exchanges());
  }

  private void checkEverything() {
    String log = sinks.get("the server's log (standard error)");
    // The checks looked at something: the libraries logged at TRACE or DEBUG (Jetty at INFO: its
    // lines
    // below are what WireDumpFilter drops), and the audit trail was written, in the log and the
    // table.
    for (String logger : List.of("com.zaxxer.hikari", "h2database")) {
      assertThat(
              Pattern.compile("(TRACE|DEBUG) +\\[[^]]*\\] " + Pattern.quote(logger))
                  .matcher(log)
                  .find())
          .as("the server's log has TRACE or DEBUG lines of " + logger)
          .isTrue();
    }
    contains(
        log,
        "the server's log",
        "] org.eclipse.jetty.",
        "] org.flywaydb.",
        "] devicelogin.audit - ");
    for (String event :
        List.of("USER_CODE_WRONG", "SIGN_IN_FAILED", "REFRESHED", "REPLAY_DETECTED", "REVOKED")) {
      contains(log, "the server's log", "\"event\":\"" + event + "\"");
      contains(
          sinks.get("the database table audit_events"), "the audit rows", "event=" + event + " ");
    }
    contains(sinks.get("the command's login, standard error"), "the command's log", "DEBUG ");
    assertThat(secrets.values())
        .as("the kinds of secret found on the wire")
        .contains("an access token", "a refresh token", "a browser cookie", "Basic credentials");
    // The command's device code, which only the wire shows, and the library's.
    assertThat(secrets.values().stream().filter("a device code"::equals).count()).isEqualTo(2);

    // One line per place, logger and secret, with how often and the first line: a leak at DEBUG
    // repeats on every request.
    SecretFinder finder = new SecretFinder(secrets);
    Map<String, List<Integer>> leaks = new LinkedHashMap<>();
    sinks.forEach(
        (sink, text) -> {
          List<SecretFinder.Finding> found = finder.findIn(text);
          String[] lines = found.isEmpty() ? new String[0] : text.split("\n", -1);
          for (SecretFinder.Finding f : found) {
            String what = (f.whole() ? "" : "pieces of ") + f.label();
            leaks
                .computeIfAbsent(
                    sink + logger(lines[f.line() - 1]) + ": " + what, k -> new ArrayList<>())
                .add(f.line());
          }
        });
    List<String> report =
        leaks.entrySet().stream()
            .map(
                e ->
                    e.getKey()
                        + " ("
                        + e.getValue().size()
                        + " lines, the first line "
                        + e.getValue().get(0)
                        + ")")
            .toList();
    assertThat(report)
        .as("secrets found (" + finder.size() + " secrets in " + sinks.size() + " places)")
        .isEmpty();
  }

  // ---- the command ----

  private void commandLineRun(
      CliProcess cli,
      Chromium chromium,
      String issuer,
      String demoPassword,
      String mistyped,
      String resourceSecret)
      throws Exception {
    TokenSet atLogin;
    try (CliProcess.Running login =
        cli.start("login", "--issuer", issuer, "--json", "--no-browser", "--store", "memory")) {
      JsonNode code = JSON.readTree(nextLine(login));
      String userCode = code.path("user_code").asText();

      // A wrong code first, then the right one.
      WebElement field =
          new PersonInChromium(chromium).codeField(code.path("verification_uri").asText());
      field.sendKeys(userCode.equals("XZXZ-XZXZ") ? "GHJK-BCDF" : "XZXZ-XZXZ");
      field.submit();
      chromium
          .waiting()
          .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".alert.error")));
      field =
          chromium
              .waiting()
              .until(ExpectedConditions.visibilityOfElementLocated(By.id("user_code")));
      field.clear();
      field.sendKeys(userCode);
      field.submit();

      // A mistyped password first, then the right one.
      signIn(chromium, mistyped);
      chromium
          .waiting()
          .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".alert.error")));
      signIn(chromium, demoPassword);
      approve(chromium);

      JsonNode outcome = JSON.readTree(nextLine(login));
      CliProcess.Result r = login.finish(WAIT);
      record("login", r, true);
      assertThat(r.exit()).as(quoted(r.err())).isEqualTo(ExitCode.OK);
      assertThat(outcome.path("event").asText()).isEqualTo("approved");
      atLogin = held(cli);
    }

    CliProcess.Result status = cli.run("status");
    record("status", status, true);
    assertThat(status.exit()).as(quoted(status.err())).isZero();
    contains(status.out(), "status", "demo");

    // exec: the child gets the token in its environment, and says so by its hash, not by itself.
    CliProcess.Result exec =
        cli.run(
            "exec",
            "--",
            "sh",
            "-c",
            "printf %s \"$ACCESS_TOKEN\" | sha256sum; echo \"type=$ACCESS_TOKEN_TYPE\"");
    record("exec", exec, true);
    assertThat(exec.exit()).as(quoted(exec.err())).isZero();
    TokenSet afterExec = held(cli);
    contains(
        exec.out(),
        "what the child printed",
        sha256(afterExec.accessToken().revealForTransmission()) + "  -",
        "type=Bearer");
    assertThat(same(afterExec.accessToken(), atLogin.accessToken()))
        .as("exec refreshed the access token")
        .isFalse();
    assertThat(same(afterExec.refreshToken().orElseThrow(), atLogin.refreshToken().orElseThrow()))
        .as("the refresh token rotated")
        .isFalse();

    // token: its standard output is the one place a token may be, because it was asked for.
    CliProcess.Result token = cli.run("token");
    record("token", token, false);
    assertThat(token.exit()).as(quoted(token.err())).isZero();
    TokenSet afterToken = held(cli);
    assertThat(token.out().strip().equals(afterToken.accessToken().revealForTransmission()))
        .as("token printed the access token it holds")
        .isTrue();
    String last = afterToken.accessToken().revealForTransmission();
    assertThat(
            introspect(issuer, last, basic(RESOURCE_SERVER, resourceSecret))
                .path("active")
                .asBoolean())
        .isTrue();

    CliProcess.Result logout = cli.run("logout");
    record("logout", logout, true);
    assertThat(logout.exit()).as(quoted(logout.err())).isZero();

    // The revoked token, at introspection and userinfo.
    assertThat(
            introspect(issuer, last, basic(RESOURCE_SERVER, resourceSecret))
                .path("active")
                .asBoolean())
        .isFalse();
    assertThat(call("GET", issuer + "/userinfo", "Bearer " + last, null).statusCode())
        .isEqualTo(401);
    CliProcess.Result afterLogout = cli.run("token");
    record("token after logout", afterLogout, true);
    assertThat(afterLogout.exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
  }

  // ---- the library, in this JVM ----

  private void libraryRun(
      Chromium chromium, String issuer, String resourceSecret, String wrongSecret)
      throws Exception {
    DeviceLogin login =
        DeviceLogin.builder()
            .issuer(URI.create(issuer))
            .clientId(CLIENT)
            .scope("openid", "offline_access")
            .build();
    DeviceAuthorization started = login.start();
    secret("a device code", started.deviceCode().revealForTransmission());
    // The browser is still signed in: the code, then the consent.
    new PersonInChromium(chromium)
        .followCodeLink(started.verificationUriComplete().orElseThrow().toString());
    approve(chromium);
    TokenSet first = tokens(login.await(started));
    TokenSet second = tokens(login.refresh(first));

    // A rotated refresh token replayed: refused, and the grant is revoked.
    thrown("refresh with a replayed refresh token", () -> login.refresh(first));
    // The device code replayed.
    thrown("a replayed device code", () -> login.await(started));
    // The grant's newest tokens, revoked by the replay.
    thrown("refresh with the revoked grant's refresh token", () -> login.refresh(second));
    assertThat(
            introspect(
                    issuer,
                    second.accessToken().revealForTransmission(),
                    basic(RESOURCE_SERVER, resourceSecret))
                .path("active")
                .asBoolean())
        .isFalse();
    assertThat(
            call(
                    "POST",
                    issuer + "/userinfo",
                    "Bearer " + second.accessToken().revealForTransmission(),
                    "")
                .statusCode())
        .isEqualTo(401);
    // Tokens where they do not belong, in the query string, which servers log more readily than
    // bodies.
    assertThat(
            call(
                    "GET",
                    issuer
                        + "/userinfo?access_token="
                        + second.accessToken().revealForTransmission(),
                    null,
                    null)
                .statusCode())
        .isEqualTo(401);
    assertThat(
            call(
                    "POST",
                    issuer
                        + "/oauth2/token?refresh_token="
                        + second.refreshToken().orElseThrow().revealForTransmission(),
                    null,
                    "grant_type=refresh_token&client_id=" + CLIENT)
                .statusCode())
        .isEqualTo(400);
    // A bad client secret: in Basic credentials, in the body, and through the library.
    assertThat(
            call(
                    "POST",
                    issuer + "/oauth2/introspect",
                    basic(RESOURCE_SERVER, wrongSecret),
                    "token=" + second.accessToken().revealForTransmission())
                .statusCode())
        .isEqualTo(401);
    assertThat(
            call(
                    "POST",
                    issuer + "/oauth2/introspect",
                    null,
                    "client_id="
                        + RESOURCE_SERVER
                        + "&client_secret="
                        + wrongSecret
                        + "&token="
                        + second.accessToken().revealForTransmission())
                .statusCode())
        .isEqualTo(401);
    thrown(
        "a wrong client secret",
        () ->
            DeviceLogin.builder()
                .issuer(URI.create(issuer))
                .clientId(RESOURCE_SERVER)
                .clientSecret(Secret.of(wrongSecret))
                .scope("openid")
                .build()
                .start());
  }

  private TokenSet tokens(TokenSet tokens) {
    secret("an access token", tokens.accessToken().revealForTransmission());
    tokens.refreshToken().ifPresent(t -> secret("a refresh token", t.revealForTransmission()));
    return tokens;
  }

  /**
   * Runs a call that must fail, and keeps what its exception says, stack trace and causes included.
   */
  private void thrown(String what, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      sinks.put("the exception of " + what, e + "\n" + trace);
      return;
    }
    throw new AssertionError(what + " did not fail");
  }

  // ---- the browser ----

  private static void signIn(Chromium chromium, String password) {
    new PersonInChromium(chromium).signIn(DemoUser.USERNAME, password);
  }

  private static void approve(Chromium chromium) {
    new PersonInChromium(chromium).decide("approve");
  }

  // ---- what the run left behind ----

  /** The tokens the command holds (in its agent), registered as secrets. */
  private TokenSet held(CliProcess cli) {
    return tokens(TokenStores.open(Optional.of("memory"), cli.env).load("default").orElseThrow());
  }

  private void record(String command, CliProcess.Result r, boolean stdoutToo) {
    if (stdoutToo) {
      sinks.put("the command's " + command + ", standard output", r.out());
    }
    sinks.put("the command's " + command + ", standard error", r.err());
  }

  /** Every row of every table, after the server stopped (H2 lets one process at a time in). */
  private void readDatabase(String dbUrl, String dbPassword) throws Exception {
    try (Connection c = DriverManager.getConnection(dbUrl, "devicelogin", dbPassword);
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet r =
          s.executeQuery(
              "SELECT table_name FROM information_schema.tables"
                  + " WHERE table_schema = 'public'")) {
        while (r.next()) {
          tables.add(r.getString(1));
        }
      }
      assertThat(tables)
          .contains("audit_events", "refresh_tokens", "device_authorizations", "users");
      for (String table : tables) {
        StringBuilder rows = new StringBuilder();
        try (ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
          int columns = r.getMetaData().getColumnCount();
          while (r.next()) {
            for (int i = 1; i <= columns; i++) {
              rows.append(r.getMetaData().getColumnName(i))
                  .append('=')
                  .append(r.getString(i))
                  .append(' ');
            }
            rows.append('\n');
          }
        }
        sinks.put("the database table " + table, rows.toString());
      }
    }
  }

  private static final Pattern JSON_SECRET =
      Pattern.compile(
          "\"(access_token|refresh_token|id_token|device_code)\"\\s*:\\s*\"([^\"\\\\]+)\"");
  private static final Pattern FORM_SECRET =
      Pattern.compile(
          "(?<![A-Za-z0-9_])(device_code|refresh_token|access_token|token|client_secret|password)=([^&\\s]+)");
  private static final Pattern AUTHORIZATION =
      Pattern.compile("(?i)\r\nauthorization: *(bearer|basic) +([A-Za-z0-9._~+/=-]+)");
  private static final Pattern SET_COOKIE =
      Pattern.compile("(?i)\r\nset-cookie: *[^=;\\s]+=([^;\r\n]*)");

  /** Every secret that crossed the wire, in a form, a JSON answer, a header or a cookie. */
  private void secretsOnTheWire(String wire) {
    Map<String, String> kinds =
        Map.of(
            "access_token",
            "an access token",
            "refresh_token",
            "a refresh token",
            "id_token",
            "an ID token",
            "device_code",
            "a device code",
            "token",
            "a token sent for introspection",
            "client_secret",
            "a client secret",
            "password",
            "a password typed on the sign-in page");
    for (Matcher m = JSON_SECRET.matcher(wire); m.find(); ) {
      secret(kinds.get(m.group(1)), m.group(2));
    }
    for (Matcher m = FORM_SECRET.matcher(wire); m.find(); ) {
      secret(kinds.get(m.group(1)), URLDecoder.decode(m.group(2), StandardCharsets.UTF_8));
    }
    for (Matcher m = AUTHORIZATION.matcher(wire); m.find(); ) {
      if (m.group(1).equalsIgnoreCase("bearer")) {
        secret("an access token", m.group(2));
      } else {
        secret("Basic credentials", m.group(2));
        String decoded = new String(Base64.getDecoder().decode(m.group(2)), StandardCharsets.UTF_8);
        secret("a client secret in Basic credentials", decoded.substring(decoded.indexOf(':') + 1));
      }
    }
    for (Matcher m = SET_COOKIE.matcher(wire); m.find(); ) {
      secret("a browser cookie", m.group(1));
    }
  }

  /**
   * Every answer the server sent, head (but its cookies) and body, except the ones whose purpose is
   * to hand out a device code or tokens: error pages and error objects, pages, redirects,
   * introspection and userinfo answers.
   */
  private void answers(List<WireTap.Exchange> exchanges) {
    assertThat(exchanges.size()).as("exchanges on the wire").isGreaterThan(20);
    StringBuilder all = new StringBuilder();
    int errors = 0;
    for (WireTap.Exchange x : exchanges) {
      String path = x.target().split("\\?", 2)[0];
      boolean handsOut =
          x.status() == 200
              && x.method().equals("POST")
              && (path.equals("/oauth2/token") || path.equals("/oauth2/device_authorization"));
      if (!handsOut) {
        all.append(x.method())
            .append(' ')
            .append(path)
            .append(' ')
            .append(x.headWithoutCookies())
            .append('\n')
            .append(x.responseBody())
            .append('\n');
      }
      errors += x.status() >= 400 ? 1 : 0;
    }
    assertThat(errors).as("error answers among them").isGreaterThan(5);
    sinks.put("the server's answers", all.toString());
  }

  // ---- helpers ----

  /**
   * Whether {@code text} holds each part, saying only which part is missing: the texts checked here
   * are the ones that might hold a secret, so a failure must not quote them.
   */
  private static void contains(String text, String what, String... parts) {
    for (String part : parts) {
      assertThat(text.contains(part)).as(what + " holds \"" + part + "\"").isTrue();
    }
  }

  /**
   * The next line a process prints; on a timeout, its standard error with the lines that hold
   * secrets withheld.
   */
  private String nextLine(CliProcess.Running running) throws InterruptedException {
    try {
      return running.nextLine(WAIT);
    } catch (AssertionError e) {
      // Its message quotes the process's standard error, as it is.
      throw new AssertionError(
          "no line within " + WAIT + "; standard error:\n" + quoted(running.err()));
    }
  }

  /** Registers a secret of the run, unless too short to be one (an empty form field). */
  private String secret(String kind, String value) {
    if (value != null && value.length() >= 8) {
      secrets.putIfAbsent(value, kind);
      IssuedSecrets.register(value);
    }
    return value;
  }

  private JsonNode introspect(String issuer, String token, String authorization) throws Exception {
    HttpResponse<String> r =
        call("POST", issuer + "/oauth2/introspect", authorization, "token=" + token);
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static String basic(String clientId, String secret) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> call(
      String method, String url, String authorization, String form)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(WAIT);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (form != null) {
      b.header("Content-Type", "application/x-www-form-urlencoded");
    }
    b.method(
        method,
        form == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(form));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static boolean same(Secret a, Secret b) {
    return a.revealForTransmission().equals(b.revealForTransmission());
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** A command's standard error for a failure message, each line that holds a secret withheld. */
  private String quoted(String text) {
    SecretFinder finder = new SecretFinder(secrets);
    List<Integer> lines = finder.findIn(text).stream().map(SecretFinder.Finding::line).toList();
    String[] split = text.split("\n", -1);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < split.length; i++) {
      out.append(
              lines.contains(i + 1) || !SecretFinder.ofIssued().findIn(split[i]).isEmpty()
                  ? "[a line holding a secret, withheld]"
                  : split[i])
          .append('\n');
    }
    return out.toString();
  }

  /** For a log line, which logger wrote it at which level: what helps, without showing the line. */
  private static String logger(String line) {
    Matcher m =
        Pattern.compile("^\\S+ +(TRACE|DEBUG|INFO|WARN|ERROR) +\\[[^]]*\\] (\\S+) -").matcher(line);
    return m.find() ? ", " + m.group(1) + " " + m.group(2) : "";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * The server as a process of its own ({@code ServerMain.main}, the tests' class path) with a
   * Logback configuration that puts every logger at TRACE, as a person would give it with {@code
   * -Dlogback.configurationFile}.
   */
  private static final class TracingServer implements AutoCloseable {
    private final CliProcess.Running running;

    private TracingServer(CliProcess.Running running) {
      this.running = running;
    }

    static TracingServer start(Path work, List<String> args, Map<String, String> env)
        throws Exception {
      Path logback = work.resolve("logback-trace.xml");
      Files.writeString(
          logback,
          """
          <configuration>
            <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
              <target>System.err</target>
              <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger - %msg%n</pattern></encoder>
            </appender>
            <root level="TRACE"><appender-ref ref="STDERR"/></root>
          </configuration>
          """);
      List<String> command =
          new ArrayList<>(
              List.of(
                  ProcessHandle.current().info().command().orElse("java"),
                  "-Xmx256m",
                  "-Dlogback.configurationFile=" + logback,
                  "-cp",
                  System.getProperty("java.class.path"),
                  ServerMain.class.getName()));
      command.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
      builder.environment().clear();
      builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
      builder.environment().putAll(env);
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      CliProcess.Running running = new CliProcess.Running(builder.start());
      TracingServer server = new TracingServer(running);
      try {
        while (!running.nextLine(WAIT).startsWith("devicelogin server listening on ")) {
          // The demo client and user come first.
        }
      } catch (AssertionError | RuntimeException e) {
        server.close();
        // Not the cause: its message quotes the server's log, secrets and all.
        throw new AssertionError("the server did not start within " + WAIT);
      }
      return server;
    }

    /**
     * Stops the server as a service manager would (SIGTERM), and returns its standard output and
     * error.
     */
    List<String> stop() throws InterruptedException {
      running.process.destroy();
      if (!running.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError("the server did not stop within " + WAIT);
      }
      CliProcess.Result r = running.finish(WAIT);
      return List.of(r.out(), r.err());
    }

    @Override
    public void close() {
      running.close();
    }
  }
}
