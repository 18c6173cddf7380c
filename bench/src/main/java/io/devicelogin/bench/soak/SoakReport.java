package io.devicelogin.bench.soak;

import io.devicelogin.bench.Section;
import io.devicelogin.bench.Table;
import io.devicelogin.bench.soak.Ledger.Breach;
import io.devicelogin.bench.soak.Ledger.Interval;
import io.devicelogin.bench.target.DeviceLoginTarget.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The soak's section of {@code bench/RESULTS.md}. */
final class SoakReport {
  /** The section's title, by which a later full run of the benchmarks keeps it. */
  static final String TITLE = "Soak";

  private SoakReport() {}

  static Section section(
      Soak.Plan plan,
      String commit,
      Ledger ledger,
      long logins,
      Instant startedAt,
      double loadBefore,
      double loadAfter,
      long serverErrorLines,
      List<String> jvmOptions) {
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "Run of %s (UTC), commit %s, on %s for %d minutes: %s logins a second started steadily, each a device"
                + " authorization, polls at the interval, the approval through the pages (sign-in"
                + " once per browser, code, consent), redemption, `/userinfo`, a refresh, then a"
                + " revocation (every other login) or a replay of the old refresh token. The server"
                + " (`%s`) was restarted twice and%s. Load average %.2f before, %.2f after, on %d"
                + " cores shared by the server, the load and its PostgreSQL.\n\n",
            startedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
            commit,
            plan.database() == Database.H2 ? "H2" : "PostgreSQL",
            plan.length().toMinutes(),
            trim(plan.loginsPerSecond()),
            String.join(" ", jvmOptions),
            plan.database() == Database.POSTGRESQL
                ? " PostgreSQL was stopped for " + plan.databaseOutage().toSeconds() + " s"
                : " there is no separate database to stop on H2",
            loadBefore,
            loadAfter,
            Runtime.getRuntime().availableProcessors()));

    Table zero = new Table("must be 0", "count");
    for (Breach b : Breach.values()) {
      long n = ledger.breaches(b);
      zero.row(b.label, n == 0 ? "0" : "**" + n + "**");
    }
    md.append(zero.markdown()).append('\n');

    Table flows = new Table("logins", "count");
    flows.row("started", logins);
    flows.row("approved through the pages", ledger.approvals());
    flows.row("completed (tokens, refresh, end)", ledger.flowsCompleted());
    for (Map.Entry<String, Long> e : ledger.abandonedByReason().entrySet()) {
      flows.row("given up: " + e.getKey(), e.getValue());
    }
    md.append(flows.markdown()).append('\n');

    Table errors = new Table("errors by kind (each retried)", "count");
    ledger.errorsByKind().forEach(errors::row);
    if (errors.isEmpty()) {
      errors.row("none", 0);
    }
    errors.row("lines at ERROR in the server's log", serverErrorLines);
    md.append(errors.markdown()).append('\n');

    Table time =
        new Table(
            "from", "logins started", "answers", "errors", "p50", "p99", "max", "RSS", "events");
    List<Interval> intervals = ledger.intervals();
    for (Interval i : intervals) {
      if (i.answers.sum() == 0 && i.events.isEmpty()) {
        continue;
      }
      time.row(
          clock(i.start),
          i.flowsStarted.sum(),
          i.answers.sum(),
          i.errors.sum(),
          ms(i.latencyMicros.getValueAtPercentile(50)),
          ms(i.latencyMicros.getValueAtPercentile(99)),
          ms(i.latencyMicros.getMaxValue()),
          i.rssBytes < 0 ? "" : (i.rssBytes >> 20) + " MB",
          String.join("; ", i.events));
    }
    md.append(time.markdown()).append('\n');
    md.append(steadiness(intervals)).append("\n\n");
    md.append(
        "Latencies are of the OAuth endpoints' answers (device authorization, token, revocation,"
            + " userinfo), whatever their status; the pages' requests are counted only as errors."
            + " An error is a request that got no answer or a 429/5xx; the login that met it tried"
            + " again a second later. RSS is the server process's at the end of each row's"
            + " minute.\n");
    return new Section(TITLE, md.toString());
  }

  /**
   * Whether the quiet rows (a full row with no event) stayed flat: the first third of them against
   * the last, by their median p99 and their largest RSS.
   */
  static String steadiness(List<Interval> intervals) {
    List<Interval> quiet =
        intervals.stream()
            .filter(i -> i.events.isEmpty() && i.flowsStarted.sum() > 0 && i.rssBytes > 0)
            .toList();
    if (quiet.size() < 3) {
      return "Too few rows without an event to judge whether p99 and RSS stayed flat.";
    }
    int third = quiet.size() / 3;
    List<Interval> first = quiet.subList(0, third);
    List<Interval> last = quiet.subList(quiet.size() - third, quiet.size());
    return String.format(
        Locale.ROOT,
        "Flat? Over the %d rows without an event, the median p99 of the first third is %s and of"
            + " the last third %s; the largest RSS of the first third is %d MB and of the last"
            + " third %d MB.",
        quiet.size(),
        ms(medianP99(first)),
        ms(medianP99(last)),
        maxRss(first) >> 20,
        maxRss(last) >> 20);
  }

  private static long medianP99(List<Interval> rows) {
    long[] p99 =
        rows.stream().mapToLong(i -> i.latencyMicros.getValueAtPercentile(99)).sorted().toArray();
    return p99[p99.length / 2];
  }

  private static long maxRss(List<Interval> rows) {
    return rows.stream().mapToLong(i -> i.rssBytes).max().orElse(-1);
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String clock(Duration d) {
    return String.format(Locale.ROOT, "%d:%02d", d.toMinutes(), d.toSecondsPart());
  }

  private static String ms(long micros) {
    return String.format(Locale.ROOT, micros >= 100_000 ? "%.0f ms" : "%.1f ms", micros / 1000.0);
  }
}
