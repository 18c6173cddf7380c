package io.devicelogin.bench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The "Command start-up" section of RESULTS.md: the wall times of the variants, the first of which
 * is the trivial program the others are divided by, and the conditions they were measured in.
 */
final class StartupTable {
  private StartupTable() {}

  /** What the rows ran on, for the notes under the table. */
  record Conditions(
      String jvm, String java, Path archive, String store, double loadBefore, double loadAfter) {}

  static String markdown(
      List<Variant> variants, long[][] millis, int repetitions, Conditions conditions) {
    double trivial = median(millis[0]);
    StringBuilder md = new StringBuilder();
    md.append("Wall time of one run of each command, from starting the process to its exit, ")
        .append(repetitions)
        .append(" rounds (after ")
        .append(RotatingRounds.WARM_UP_ROUNDS)
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
        .append(conditions.jvm())
        .append(" (`")
        .append(conditions.java())
        .append("`, the `java` on `PATH` that the launcher uses)\n");
    Path archive = conditions.archive();
    md.append("- Archive: ")
        .append(
            Files.isRegularFile(archive)
                ? "`cli/target/devicelogin.jsa`, "
                    + (size(archive) / (1024 * 1024))
                    + " MiB, built by `mvn package`"
                : "none (`cli/target/devicelogin.jsa` is missing: every launcher row ran without one)")
        .append('\n');
    md.append("- Token store: ").append(conditions.store()).append('\n');
    md.append(
            "- Environment of the command: its own home, configuration and runtime directories, `PATH` and")
        .append(" `LANG` only (no proxy or CA-bundle variables)\n");
    md.append(
        String.format(
            Locale.ROOT,
            "- Machine: %d CPUs, load average %.1f before and %.1f after%n",
            Runtime.getRuntime().availableProcessors(),
            conditions.loadBefore(),
            conditions.loadAfter()));
    return md.toString();
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

  static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String format(double ms) {
    return String.format(Locale.ROOT, "%.0f", ms);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }
}
