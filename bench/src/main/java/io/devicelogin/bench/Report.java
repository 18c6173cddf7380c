package io.devicelogin.bench;

import io.devicelogin.bench.load.LoadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Turns the figures into the sections of {@code bench/RESULTS.md}. */
final class Report {
  private Report() {}

  /** The machine, the JVM, the date and the commit. */
  static Section machine(String command, Path root) {
    Table t = new Table("", "");
    t.row("date", java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).withNano(0));
    t.row("commit", git(root));
    t.row("CPU", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
    t.row("memory", memTotal());
    t.row(
        "OS",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " ("
            + System.getProperty("os.arch")
            + ")");
    t.row(
        "JVM",
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " (servers and commands started by the harness use this JVM unless a row says otherwise)");
    t.row("command", "`" + command + "`");
    return new Section(
        "Machine",
        t.markdown()
            + "\nThe load generator runs on the same machine as the server, as the"
            + " issue asks: every figure is what two cores give to both together.\n");
  }

  static String loadRow(LoadResult r) {
    return String.join(
        " | ",
        Table.rate(r.throughput()),
        Table.ms(r.millis(50)),
        Table.ms(r.millis(99)),
        Table.ms(r.millis(99.9)),
        Table.ms(r.latency().getMaxValue() / 1000.0),
        Table.kinds(r));
  }

  /** One database's scenarios. */
  static Section server(ServerBench.Figures f, ServerBench.Plan plan) {
    Table t =
        new Table(
            "scenario", "store", "answers/s", "p50", "p99", "p99.9", "max", "answers by kind");
    for (Map.Entry<Integer, LoadResult> e : f.pendingPolls().entrySet()) {
      t.row(
          "1. pending polls",
          String.format(Locale.ROOT, "%,d pending", e.getKey()),
          loadRow(e.getValue()));
    }
    t.row("2. device authorizations", "", loadRow(f.deviceAuthorizations()));
    t.row(
        "3. token issuance (approved codes redeemed)",
        String.format(Locale.ROOT, "%,d approved", plan.redemptions()),
        loadRow(f.issuance()));
    t.row(
        "4. refresh with rotation",
        plan.connections() + " grants, one per connection",
        loadRow(f.refresh()));
    t.row("5a. introspection, valid tokens", "", loadRow(f.introspectValid()));
    t.row("5b. introspection, revoked tokens", "", loadRow(f.introspectRevoked()));
    String notes =
        String.format(
            Locale.ROOT,
            "%d connections; each measured run is %d s after a %d s warm-up,"
                + " except token issuance, which redeems every approved code once and counts them all (after %,d redeemed"
                + " uncounted to warm up). The server's JVM: `%s`. Ready to serve %d ms"
                + " after the process started. Memory with %,d pending authorizations: heap %s after a full GC, RSS %s;"
                + " RSS %s after %,d device codes.%n",
            plan.connections(),
            plan.duration().toSeconds(),
            plan.warmup().toSeconds(),
            plan.warmupRedemptions(),
            String.join(" ", plan.jvmOptions()),
            f.startup().toMillis(),
            f.pendingPolls().keySet().stream().mapToInt(i -> i).max().orElse(0),
            Table.mb(f.heapAt100k()),
            Table.mb(f.rssAt100k()),
            Table.mb(f.rssAtTotal()),
            f.totalCodes());
    return new Section(
        "devicelogin on " + (f.name().contains("H2") ? "H2" : "PostgreSQL"),
        t.markdown() + "\n" + notes);
  }

  /** Scenarios 1 and 2 side by side, with the ratios. */
  static Section sideBySide(List<SideBySide.Figures> all, SideBySide.Plan plan) {
    Table t =
        new Table(
            "server",
            "started in",
            "device authorizations/s",
            "p99",
            "pending polls/s",
            "p99",
            "polls by kind",
            "each code polled every",
            "RSS idle",
            "RSS with codes");
    for (SideBySide.Figures f : all) {
      t.row(
          f.name(),
          f.startup().toMillis() + " ms",
          Table.rate(f.deviceAuthorizations().throughput()),
          Table.ms(f.deviceAuthorizations().millis(99)),
          Table.rate(f.pendingPolls().throughput()),
          Table.ms(f.pendingPolls().millis(99)),
          Table.kinds(f.pendingPolls()),
          String.format(Locale.ROOT, "%.1f s", f.rotation().toMillis() / 1000.0),
          Table.mb(f.rssIdle()),
          Table.mb(f.rssAfterCodes())
              + " ("
              + String.format(Locale.ROOT, "%,d", f.codes())
              + " codes)");
    }
    StringBuilder md = new StringBuilder(t.markdown());
    if (all.size() > 1) {
      SideBySide.Figures ours = all.get(0);
      Table r =
          new Table(
              "devicelogin ÷", "device authorizations/s", "pending polls/s", "RSS with codes");
      for (SideBySide.Figures peer : all.subList(1, all.size())) {
        r.row(
            peer.name(),
            Table.ratio(
                ours.deviceAuthorizations().throughput()
                    / peer.deviceAuthorizations().throughput()),
            Table.ratio(ours.pendingPolls().throughput() / peer.pendingPolls().throughput()),
            Table.ratio((double) ours.rssAfterCodes() / peer.rssAfterCodes()));
      }
      md.append("\nRatios (devicelogin's figure divided by the peer's):\n\n").append(r.markdown());
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nEach server in turn, alone on the machine: %d connections; %d s of device"
                + " authorization requests to warm up, then %d s measured; its store then filled to %,d device codes; then"
                + " pending polls over all of them in rotation, %2$d s to warm up and %3$d s measured.%n",
            plan.connections(),
            plan.warmup().toSeconds(),
            plan.duration().toSeconds(),
            plan.codes()));
    return new Section("Side by side: devicelogin, node-oidc-provider and Keycloak", md.toString());
  }

  /** A target of the issue: what it asks, what was measured, met or not. */
  record Check(String target, String measured, Boolean met) {}

  static Section targets(List<Check> checks) {
    Table t = new Table("target", "measured", "");
    for (Check c : checks) {
      t.row(
          c.target(),
          c.measured(),
          c.met() == null ? "not measured" : c.met() ? "met" : "**missed**");
    }
    return new Section("Targets", t.markdown());
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.2f s", d.toMillis() / 1000.0);
  }

  static void write(Path file, String title, List<Section> sections) throws IOException {
    StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
    md.append(
        "Written by `bench/run` (see `bench/README.md` for what each part measures). Do not edit by hand:"
            + " rerun it.\n\n");
    for (Section s : sections) {
      md.append("## ").append(s.title()).append("\n\n").append(s.markdown().strip()).append("\n\n");
    }
    Files.writeString(file, md.toString().strip() + "\n");
  }

  /**
   * The section titled {@code title} of a results file written before, if it has one: a part that
   * runs only when asked for (the soak) keeps its figures across the runs that leave it out.
   */
  static Optional<Section> existing(Path file, String title) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String md = Files.readString(file);
    String heading = "\n## " + title + "\n";
    int at = md.indexOf(heading);
    if (at < 0) {
      return Optional.empty();
    }
    int from = at + heading.length();
    int end = md.indexOf("\n## ", from);
    return Optional.of(new Section(title, md.substring(from, end < 0 ? md.length() : end)));
  }

  /** Writes {@code section} into a results file in place of its namesake, or at its end. */
  static void replace(Path file, String title, Section section) throws IOException {
    List<Section> kept = new ArrayList<>();
    String md = Files.exists(file) ? Files.readString(file) : "";
    String[] parts = ("\n" + md).split("\n## ");
    for (int i = 1; i < parts.length; i++) {
      int nl = parts[i].indexOf('\n');
      String heading = nl < 0 ? parts[i] : parts[i].substring(0, nl);
      if (!heading.equals(section.title())) {
        kept.add(new Section(heading, nl < 0 ? "" : parts[i].substring(nl + 1)));
      }
    }
    kept.add(section);
    write(file, title, kept);
  }

  static String commit(Path root) {
    return git(root);
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }

  private static String memTotal() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%.1f GiB", kb / 1048576.0);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return "unknown";
  }

  private static String git(Path root) {
    try {
      Process p =
          new ProcessBuilder("git", "-C", root.toString(), "describe", "--always", "--dirty")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return out.isEmpty() ? "unknown" : out;
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  static List<Check> serverChecks(ServerBench.Figures h2, ServerBench.Figures pg) {
    List<Check> checks = new ArrayList<>();
    double worstP99 =
        h2.pendingPolls().values().stream().mapToDouble(r -> r.millis(99)).max().orElse(0);
    checks.add(
        new Check(
            "pending polls p99 ≤ 5 ms at 64 connections, H2",
            "worst p99 " + Table.ms(worstP99) + " (1k–100k pending)",
            worstP99 <= 5));
    double min = h2.pendingPolls().values().stream().mapToDouble(r -> r.millis(99)).min().orElse(0);
    checks.add(
        new Check(
            "p99 flat (within 2×) from 1k to 100k pending",
            String.format(Locale.ROOT, "highest ÷ lowest p99 = %.2f", worstP99 / min),
            worstP99 <= 2 * min));
    if (pg != null) {
      double worst = Double.MAX_VALUE;
      for (Map.Entry<Integer, LoadResult> e : h2.pendingPolls().entrySet()) {
        LoadResult p = pg.pendingPolls().get(e.getKey());
        if (p != null) {
          worst = Math.min(worst, p.throughput() / e.getValue().throughput());
        }
      }
      checks.add(
          new Check(
              "pending polls on PostgreSQL ≥ half of H2's",
              String.format(Locale.ROOT, "PostgreSQL ÷ H2 = %.2f at worst", worst),
              worst >= 0.5));
    }
    double issuance = h2.issuance().perSecond("ok");
    checks.add(
        new Check(
            "token issuance ≥ 1,000/s",
            Table.rate(issuance)
                + " (H2)"
                + (pg == null
                    ? ""
                    : ", " + Table.rate(pg.issuance().perSecond("ok")) + " (PostgreSQL)"),
            issuance >= 1000));
    checks.add(
        new Check(
            "100k pending authorizations in ≤ 150 MB of heap",
            Table.mb(h2.heapAt100k()) + " after a full GC",
            h2.heapAt100k() > 0 && h2.heapAt100k() <= 150L * 1024 * 1024));
    return checks;
  }

  static List<Check> sideBySideChecks(List<SideBySide.Figures> all) {
    List<Check> checks = new ArrayList<>();
    SideBySide.Figures ours = all.get(0);
    SideBySide.Figures node = find(all, "node-oidc-provider");
    SideBySide.Figures keycloak = find(all, "Keycloak");
    if (node != null) {
      double r = ours.pendingPolls().throughput() / node.pendingPolls().throughput();
      checks.add(
          new Check(
              "pending polls ≥ 10× node-oidc-provider's (same run)", Table.ratio(r), r >= 10));
    }
    if (keycloak != null) {
      double r = ours.pendingPolls().throughput() / keycloak.pendingPolls().throughput();
      checks.add(new Check("pending polls ≥ 5× Keycloak's (same run)", Table.ratio(r), r >= 5));
      double d =
          ours.deviceAuthorizations().throughput() / keycloak.deviceAuthorizations().throughput();
      checks.add(
          new Check("device authorizations ≥ 2× Keycloak's (same run)", Table.ratio(d), d >= 2));
      double m = (double) ours.rssAfterCodes() / keycloak.rssAfterCodes();
      checks.add(
          new Check(
              "RSS after "
                  + String.format(Locale.ROOT, "%,d", ours.codes())
                  + " device codes ≤ ⅓ of Keycloak's",
              Table.mb(ours.rssAfterCodes())
                  + " vs "
                  + Table.mb(keycloak.rssAfterCodes())
                  + String.format(Locale.ROOT, " (%.2f)", m),
              m <= 1.0 / 3));
    }
    return checks;
  }

  private static SideBySide.Figures find(List<SideBySide.Figures> all, String name) {
    return all.stream().filter(f -> f.name().startsWith(name)).findFirst().orElse(null);
  }
}
