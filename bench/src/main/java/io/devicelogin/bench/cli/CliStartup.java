package io.devicelogin.bench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.devicelogin.bench.Section;
import io.devicelogin.cli.CliProcess;
import io.devicelogin.cli.store.TokenStores;
import io.devicelogin.client.Secret;
import io.devicelogin.client.wire.Json;
import io.devicelogin.server.web.Person;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Start-up of the command: the wall time of {@code devicelogin status} and {@code devicelogin
 * token} while logged in, each run as a person runs it (the {@code ./devicelogin} launcher, so the
 * same {@code java}, flags and class-data archive), against a trivial Java program ({@link Hello})
 * on the same {@code java} with default flags, in the same run. Every variant runs once per round,
 * in a rotating order, so a machine that gets busier or quieter during the run affects them alike.
 *
 * <p>Before timing, it starts the server jar with {@code --demo} in its own process (the real
 * clock, so the tokens are fresh as a user's are), logs the command in with the real {@code
 * devicelogin login}, approved over HTTP by {@link Person}, and keeps the tokens in the in-memory
 * agent: it needs no desktop and no keyring, and every run of the command finds it without a probe.
 * The command gets a clean environment of its own (home, configuration and runtime directories,
 * {@code PATH}, {@code LANG}), as {@link CliProcess} gives the tests.
 */
public final class CliStartup {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(5);
  private static final int WARM_UP_ROUNDS = 2;

  private CliStartup() {}

  /** One thing timed: a command line and the extra environment it runs with. */
  private record Variant(String label, List<String> command, Map<String, String> env) {}

  /** {@code devicelogin status} ÷ the trivial program, medians of the last run, for the targets. */
  public static volatile double lastStatusRatio = Double.NaN;

  public static Section run(int repetitions) {
    if (repetitions < 1) {
      throw new IllegalArgumentException("repetitions must be at least 1");
    }
    Path root = repositoryRoot();
    Path launcher = root.resolve("devicelogin");
    Path jar = root.resolve("cli/target/devicelogin.jar");
    Path archive = root.resolve("cli/target/devicelogin.jsa");
    Path serverJar = root.resolve("server/target/devicelogin-server.jar");
    require(serverJar, "build it first: mvn -B -q -DskipTests package -pl bench -am");
    String java = javaOnPath();
    String helloClasspath = classpathOf(Hello.class);

    CliProcess cli = new CliProcess();
    Path scratch = cli.home.resolve("bench");
    CliProcess.Running server = null;
    try {
      Files.createDirectories(scratch);
      // Builds the command first if the launcher finds it missing or stale, so no round pays for
      // that.
      CliProcess.Result version =
          runLauncher(root, cli, List.of(launcher.toString(), "--version"), SETUP_TIMEOUT);
      check(version, "devicelogin --version");

      String password = "bench-" + randomToken();
      // A copy: a JVM whose jar is rebuilt under it (mvn package in the same checkout) loads the
      // new jar's bytes at the old offsets and fails, or worse, spins.
      Path serverCopy = Files.copy(serverJar, scratch.resolve("devicelogin-server.jar"));
      server = startServer(java, serverCopy, scratch.resolve("server-data"), password);
      String issuer = awaitIssuer(server);
      String store = login(root, launcher, cli, issuer, password);

      CliProcess.Result status =
          runLauncher(root, cli, List.of(launcher.toString(), "status"), Duration.ofSeconds(60));
      check(status, "devicelogin status");
      if (!status.out().contains("Subject:   demo")) {
        throw new IllegalStateException(
            "devicelogin status does not show the login:\n" + status.both());
      }
      CliProcess.Result token =
          runLauncher(root, cli, List.of(launcher.toString(), "token"), Duration.ofSeconds(60));
      check(token, "devicelogin token");

      List<String> hello = List.of(java, "-cp", helloClasspath, Hello.class.getName());
      Map<String, String> noArchive = Map.of("DEVICELOGIN_CDS", "off");
      List<Variant> variants =
          List.of(
              new Variant("`java Hello` (trivial program, default flags)", hello, Map.of()),
              new Variant("`devicelogin status`", List.of(launcher.toString(), "status"), Map.of()),
              new Variant(
                  "`devicelogin status`, launcher without the archive",
                  List.of(launcher.toString(), "status"),
                  noArchive),
              new Variant(
                  "`java -jar devicelogin.jar status` (no launcher flags, no archive)",
                  List.of(java, "-jar", jar.toString(), "status"),
                  Map.of()),
              new Variant("`devicelogin token`", List.of(launcher.toString(), "token"), Map.of()),
              new Variant(
                  "`devicelogin token`, launcher without the archive",
                  List.of(launcher.toString(), "token"),
                  noArchive),
              new Variant(
                  "`java -jar devicelogin.jar token` (no launcher flags, no archive)",
                  List.of(java, "-jar", jar.toString(), "token"),
                  Map.of()));

      double loadBefore = loadAverage();
      long[][] millis = time(root, cli, scratch, variants, repetitions);
      double loadAfter = loadAverage();

      String jvm =
          runChecked(
                  root,
                  cli,
                  List.of(java, "-cp", helloClasspath, Hello.class.getName(), "--version"))
              .out()
              .trim();
      return new Section(
          "Command start-up",
          report(variants, millis, repetitions, jvm, java, archive, store, loadBefore, loadAfter));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      try {
        TokenStores.stopAgent(cli.env);
      } catch (RuntimeException e) {
        System.err.println("CliStartup: could not stop the agent: " + e.getMessage());
      }
      if (server != null) {
        server.close();
        try {
          server.process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      deleteTree(cli.home);
    }
  }

  /** Runs the rounds; returns the wall times in milliseconds, [variant][round]. */
  private static long[][] time(
      Path root, CliProcess cli, Path scratch, List<Variant> variants, int repetitions)
      throws IOException, InterruptedException {
    int n = variants.size();
    long[][] millis = new long[n][repetitions];
    Path stderr = scratch.resolve("stderr.txt");
    for (int round = -WARM_UP_ROUNDS; round < repetitions; round++) {
      for (int k = 0; k < n; k++) {
        // Rotate who goes first, so that no variant always follows the same one.
        int v = Math.floorMod(round + k, n);
        Variant variant = variants.get(v);
        ProcessBuilder builder = new ProcessBuilder(variant.command()).directory(root.toFile());
        builder.environment().clear();
        builder.environment().putAll(cli.env);
        builder.environment().putAll(variant.env());
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.redirectError(stderr.toFile());
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          throw new IllegalStateException(variant.label() + " did not finish within 2 minutes");
        }
        long elapsed = System.nanoTime() - start;
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              variant.label()
                  + " exited with "
                  + process.exitValue()
                  + ":\n"
                  + Files.readString(stderr, StandardCharsets.UTF_8));
        }
        if (round >= 0) {
          millis[v][round] = TimeUnit.NANOSECONDS.toMillis(elapsed);
        }
      }
    }
    return millis;
  }

  private static String report(
      List<Variant> variants,
      long[][] millis,
      int repetitions,
      String jvm,
      String java,
      Path archive,
      String store,
      double loadBefore,
      double loadAfter) {
    double trivial = median(millis[0]);
    lastStatusRatio = median(millis[1]) / trivial;
    StringBuilder md = new StringBuilder();
    md.append("Wall time of one run of each command, from starting the process to its exit, ")
        .append(repetitions)
        .append(" rounds (after ")
        .append(WARM_UP_ROUNDS)
        .append(" warm-up rounds); each round runs every row once,")
        .append(
            " in a rotating order. Logged in to a local `devicelogin server --demo` (own process);")
        .append(
            " `token` asks the server's userinfo endpoint before printing, as it always does.\n\n");
    md.append("| Command | median ms | p90 ms | median ÷ trivial |\n");
    md.append("|---|---:|---:|---:|\n");
    for (int v = 0; v < variants.size(); v++) {
      double median = median(millis[v]);
      md.append("| ")
          .append(variants.get(v).label())
          .append(" | ")
          .append(format(median))
          .append(" | ")
          .append(format(percentile(millis[v], 0.90)))
          .append(" | ")
          .append(v == 0 ? "1" : String.format(Locale.ROOT, "%.2f×", median / trivial))
          .append(" |\n");
    }
    md.append('\n');
    md.append("- JVM: ")
        .append(jvm)
        .append(" (`")
        .append(java)
        .append("`, the `java` on `PATH` that the launcher uses)\n");
    md.append("- Archive: ")
        .append(
            Files.isRegularFile(archive)
                ? "`cli/target/devicelogin.jsa`, "
                    + (size(archive) / (1024 * 1024))
                    + " MiB, built by `mvn package`"
                : "none (`cli/target/devicelogin.jsa` is missing: every launcher row ran without one)")
        .append('\n');
    md.append("- Token store: ").append(store).append('\n');
    md.append(
            "- Environment of the command: its own home, configuration and runtime directories, `PATH` and")
        .append(" `LANG` only (no proxy or CA-bundle variables)\n");
    md.append(
        String.format(
            Locale.ROOT,
            "- Machine: %d CPUs, load average %.1f before and %.1f after%n",
            Runtime.getRuntime().availableProcessors(),
            loadBefore,
            loadAfter));
    return md.toString();
  }

  private static String login(
      Path root, Path launcher, CliProcess cli, String issuer, String password)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
                launcher.toString(),
                "login",
                "--issuer",
                issuer,
                "--json",
                "--no-browser",
                "--store",
                "memory")
            .directory(root.toFile());
    builder.environment().clear();
    builder.environment().putAll(cli.env);
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
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

  private static String awaitIssuer(CliProcess.Running server) throws InterruptedException {
    long deadline = System.nanoTime() + SETUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = LISTENING.matcher(server.nextLine(SETUP_TIMEOUT));
      if (m.find()) {
        return m.group(1);
      }
    }
    throw new IllegalStateException("the server did not start: " + server.out() + server.err());
  }

  private static CliProcess.Result runLauncher(
      Path root, CliProcess cli, List<String> command, Duration max)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
    builder.environment().clear();
    builder.environment().putAll(cli.env);
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    try (CliProcess.Running running = new CliProcess.Running(builder.start())) {
      return running.finish(max);
    }
  }

  private static CliProcess.Result runChecked(Path root, CliProcess cli, List<String> command)
      throws IOException, InterruptedException {
    CliProcess.Result result = runLauncher(root, cli, command, Duration.ofSeconds(60));
    check(result, String.join(" ", command));
    return result;
  }

  private static void check(CliProcess.Result result, String what) {
    if (result.exit() != 0) {
      throw new IllegalStateException(
          what + " exited with " + result.exit() + ":\n" + result.err());
    }
  }

  /**
   * The checkout: {@code -Ddevicelogin.root}, else the nearest directory upwards with the launcher
   * and cli/.
   */
  static Path repositoryRoot() {
    String configured = System.getProperty("devicelogin.root");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("devicelogin"))
          && Files.isRegularFile(p.resolve("cli/pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "run from the checkout (or give -Ddevicelogin.root=DIR): no ./devicelogin found"
            + " above "
            + Path.of("").toAbsolutePath());
  }

  /** The {@code java} that a shell finds on {@code PATH}: the one the launcher runs. */
  static String javaOnPath() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "java");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath().toString();
      }
    }
    throw new IllegalStateException("no java on PATH: the launcher needs one");
  }

  private static String classpathOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void require(Path file, String hint) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(file + " is missing: " + hint);
    }
  }

  private static String randomToken() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }

  /** The nearest-rank percentile. */
  static double percentile(long[] values, double p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static String format(double ms) {
    return String.format(Locale.ROOT, "%.0f", ms);
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("CliStartup: could not delete " + dir + ": " + e.getMessage());
    }
  }

  /**
   * Runs the benchmark alone: {@code CliStartup [repetitions]} (default 20); prints the section's
   * Markdown.
   */
  public static void main(String[] args) {
    int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Section section = run(repetitions);
    System.out.println("## " + section.title());
    System.out.println();
    System.out.print(section.markdown());
    // The HTTP client threads of Person are not daemons everywhere; nothing is left to wait for.
    System.exit(0);
  }
}
