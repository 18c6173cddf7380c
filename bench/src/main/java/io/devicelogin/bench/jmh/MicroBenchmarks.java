package io.devicelogin.bench.jmh;

import io.devicelogin.bench.Section;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Version;

/**
 * Runs the JMH benchmarks of this package (the inner pieces of the server's hot paths) through
 * JMH's {@link Runner}, one fork each, and returns their table.
 *
 * <p>The forks are new JVMs started with this JVM's class path, so run it as {@code java -cp
 * bench/target/classes:$(cat bench/target/classpath.txt) io.devicelogin.bench.jmh.MicroBenchmarks
 * [--quick]}.
 */
public final class MicroBenchmarks {
  private MicroBenchmarks() {}

  /**
   * @param quick a smoke run, a few hundred milliseconds per benchmark: proves they run, and gives
   *     figures only good to an order of magnitude; otherwise 3 × 1 s of warm-up and 5 × 1 s of
   *     measurement each
   */
  public static Section run(boolean quick) {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(
                "^"
                    + Pattern.quote(MicroBenchmarks.class.getPackageName() + ".")
                    + "\\w+Benchmarks\\.")
            .forks(1)
            .shouldFailOnError(true);
    if (quick) {
      options
          .warmupIterations(2)
          .warmupTime(TimeValue.milliseconds(100))
          .measurementIterations(3)
          .measurementTime(TimeValue.milliseconds(100));
    } else {
      options
          .warmupIterations(3)
          .warmupTime(TimeValue.seconds(1))
          .measurementIterations(5)
          .measurementTime(TimeValue.seconds(1));
    }
    Collection<RunResult> results;
    try {
      results = new Runner(options.build()).run();
    } catch (RunnerException e) {
      throw new IllegalStateException("the micro-benchmarks failed: " + e.getMessage(), e);
    }
    return new Section("Micro-benchmarks", table(results, quick));
  }

  static String table(Collection<RunResult> results, boolean quick) {
    List<RunResult> sorted = new ArrayList<>(results);
    sorted.sort(Comparator.comparing(r -> r.getParams().getBenchmark()));
    StringBuilder md = new StringBuilder();
    md.append("JMH ")
        .append(Version.getPlainVersion())
        .append(", average time per operation, 1 fork, ")
        .append(
            quick
                ? "quick run (2 × 100 ms warm-up, 3 × 100 ms measurement: orders of magnitude only)"
                : "3 × 1 s warm-up, 5 × 1 s measurement")
        .append(", one thread, on ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" processors; the error is JMH's 99.9% confidence interval.\n\n");
    md.append("| benchmark | score | error | unit | ops/s |\n");
    md.append("|---|---:|---:|---|---:|\n");
    for (RunResult r : sorted) {
      Result<?> primary = r.getPrimaryResult();
      String name = r.getParams().getBenchmark();
      name = name.substring(MicroBenchmarks.class.getPackageName().length() + 1);
      String unit = primary.getScoreUnit();
      md.append("| ")
          .append(name)
          .append(" | ")
          .append(number(primary.getScore()))
          .append(" | ")
          .append(
              Double.isNaN(primary.getScoreError())
                  ? "n/a"
                  : "± " + number(primary.getScoreError()))
          .append(" | ")
          .append(unit.replace("us/", "µs/"))
          .append(" | ")
          .append(opsPerSecond(primary.getScore(), unit))
          .append(" |\n");
    }
    return md.toString();
  }

  /** Three significant figures, no exponent. */
  static String number(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    double abs = Math.abs(value);
    int decimals = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : abs >= 0.1 ? 3 : 4;
    return String.format(Locale.ROOT, "%,." + decimals + "f", value);
  }

  private static String opsPerSecond(double score, String unit) {
    double perSecond;
    switch (unit) {
      case "ns/op":
        perSecond = 1e9 / score;
        break;
      case "us/op":
        perSecond = 1e6 / score;
        break;
      case "ms/op":
        perSecond = 1e3 / score;
        break;
      case "s/op":
        perSecond = 1 / score;
        break;
      default:
        return "";
    }
    return String.format(Locale.ROOT, "%,.0f", perSecond);
  }

  /** {@code MicroBenchmarks [--quick]}: prints the Markdown table. */
  public static void main(String[] args) {
    boolean quick = List.of(args).contains("--quick");
    Section section = run(quick);
    System.out.println();
    System.out.println("## " + section.title());
    System.out.println();
    System.out.println(section.markdown());
  }
}
