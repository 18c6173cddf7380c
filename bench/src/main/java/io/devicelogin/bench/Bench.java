package io.devicelogin.bench;

import io.devicelogin.bench.cli.CliStartup;
import io.devicelogin.bench.jmh.MicroBenchmarks;
import io.devicelogin.bench.soak.Soak;
import io.devicelogin.bench.startup.ServerStartup;
import io.devicelogin.bench.target.DeviceLoginTarget;
import io.devicelogin.bench.target.DeviceLoginTarget.Database;
import io.devicelogin.bench.target.KeycloakTarget;
import io.devicelogin.bench.target.NodeOidcProviderTarget;
import io.devicelogin.bench.target.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs the benchmarks and writes {@code bench/RESULTS.md}: {@code bench/run} runs everything;
 * {@code bench/run --only server,peers,startup,cli,jmh} runs some parts; {@code bench/run --smoke}
 * runs each load scenario for a fraction of a second and writes {@code
 * bench/target/RESULTS-smoke.md}.
 */
public final class Bench {
  static final List<String> PARTS = List.of("server", "peers", "startup", "cli", "jmh");

  /** Parts that run only when named in {@code --only}: the soak takes half an hour. */
  static final List<String> ON_REQUEST = List.of("soak");

  /**
   * The server's JVM options in every run: the heap bounded as the README recommends (the JVM's
   * default is a quarter of the machine's memory, which a busy server then fills with garbage
   * before collecting it), and the serial collector, the cheapest on two cores.
   */
  static final List<String> SERVER_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC");

  private Bench() {}

  public static void main(String[] args) throws IOException {
    boolean smoke = false;
    int soakMinutes = 30;
    Database soakDatabase = Database.POSTGRESQL;
    Set<String> parts = new LinkedHashSet<>(PARTS);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--smoke" -> smoke = true;
        case "--only" -> {
          if (i + 1 >= args.length) {
            usage("--only needs a list, such as --only server,peers");
          }
          parts = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
          List<String> known = new ArrayList<>(PARTS);
          known.addAll(ON_REQUEST);
          if (!known.containsAll(parts)) {
            usage("unknown part in " + parts + "; the parts are " + known);
          }
        }
        case "--soak-minutes" -> {
          if (i + 1 >= args.length || !args[i + 1].matches("[1-9][0-9]{0,3}")) {
            usage("--soak-minutes needs a whole number of minutes, such as 30");
          }
          soakMinutes = Integer.parseInt(args[++i]);
        }
        case "--soak-db" -> {
          if (i + 1 >= args.length || !args[i + 1].matches("h2|postgresql")) {
            usage("--soak-db needs h2 or postgresql");
          }
          soakDatabase = args[++i].equals("h2") ? Database.H2 : Database.POSTGRESQL;
        }
        case "--help", "-h" -> usage(null);
        default -> usage("unknown argument " + args[i]);
      }
    }
    Path root = Path.of(System.getProperty("devicelogin.root", ".")).toAbsolutePath().normalize();
    Path jar = root.resolve("server/target/devicelogin-server.jar");
    Path work = root.resolve("bench/target/run");
    Files.createDirectories(work);
    List<Section> sections = new ArrayList<>();
    List<Report.Check> checks = new ArrayList<>();
    sections.add(Report.machine("bench/run " + String.join(" ", args), root));

    if (parts.contains("server")) {
      ServerBench.Plan plan = smoke ? ServerBench.Plan.smoke() : ServerBench.Plan.full(SERVER_JVM);
      ServerBench.Figures h2 = ServerBench.run(jar, work.resolve("server-h2"), Database.H2, plan);
      sections.add(Report.server(h2, plan));
      ServerBench.Figures pg =
          ServerBench.run(jar, work.resolve("server-postgresql"), Database.POSTGRESQL, plan);
      sections.add(Report.server(pg, plan));
      checks.addAll(Report.serverChecks(h2, pg));
    }
    if (parts.contains("peers")) {
      SideBySide.Plan plan = smoke ? SideBySide.Plan.smoke() : SideBySide.Plan.full();
      List<SideBySide.Figures> figures = new ArrayList<>();
      List<String> sideBySideJvm = smoke ? List.of() : SERVER_JVM;
      List<Supplier<Target>> targets = new ArrayList<>();
      targets.add(
          () ->
              DeviceLoginTarget.start(
                  jar, work.resolve("side-by-side"), Database.H2, sideBySideJvm));
      if (!smoke) {
        Path peers = root.resolve("bench/target/peers");
        targets.add(() -> NodeOidcProviderTarget.start(peers.resolve("node-oidc-provider")));
        targets.add(() -> KeycloakTarget.start(peers.resolve("keycloak")));
      }
      for (Supplier<Target> start : targets) {
        try (Target target = start.get()) {
          figures.add(SideBySide.run(target, plan));
        }
      }
      sections.add(Report.sideBySide(figures, plan));
      checks.addAll(Report.sideBySideChecks(figures));
    }
    if (parts.contains("startup")) {
      sections.add(ServerStartup.run(smoke ? 1 : 6));
      long fresh = ServerStartup.lastFreshMedianNanos;
      long existing = ServerStartup.lastExistingMedianNanos;
      checks.add(
          new Report.Check(
              "ready to serve in ≤ 1.5 s from process start",
              String.format(
                  java.util.Locale.ROOT,
                  "median %d ms (new data directory), %d ms (existing)",
                  fresh / 1_000_000,
                  existing / 1_000_000),
              Math.max(fresh, existing) <= 1_500_000_000L));
    }
    if (parts.contains("cli")) {
      sections.add(CliStartup.run(smoke ? 1 : 12));
      double ratio = CliStartup.lastStatusRatio;
      checks.add(
          new Report.Check(
              "`devicelogin status` ≤ 2.5× a trivial Java program's wall time",
              Table.ratio(ratio) + " (medians)",
              ratio <= 2.5));
    }
    if (parts.contains("jmh")) {
      sections.add(MicroBenchmarks.run(smoke));
    }
    if (!checks.isEmpty()) {
      sections.add(1, Report.targets(checks));
    }
    Path out =
        smoke ? root.resolve("bench/target/RESULTS-smoke.md") : root.resolve("bench/RESULTS.md");
    String title =
        smoke ? "devicelogin benchmarks (smoke run: not figures)" : "devicelogin benchmarks";
    if (parts.contains("soak")) {
      Soak.Plan plan = Soak.Plan.of(smoke ? 1 : soakMinutes, soakDatabase);
      Section soak = Soak.run(jar, work.resolve("soak"), plan, SERVER_JVM, Report.commit(root));
      if (parts.size() == 1) {
        // The soak alone leaves the other parts' figures as they were.
        Report.replace(out, title, soak);
        System.out.println("bench: wrote the soak into " + root.relativize(out));
        return;
      }
      sections.add(soak);
    } else if (!smoke) {
      Report.existing(out, Soak.TITLE).ifPresent(sections::add);
    }
    Report.write(out, title, sections);
    System.out.println("bench: wrote " + root.relativize(out));
  }

  private static void usage(String problem) {
    System.err.println(
        (problem == null ? "" : "bench: " + problem + "\n")
            + "Usage: bench/run [--only "
            + String.join(",", PARTS)
            + ",soak] [--smoke] [--soak-minutes 30] [--soak-db postgresql|h2]");
    System.exit(problem == null ? 0 : 2);
  }
}
