package io.devicelogin.bench;

import io.devicelogin.bench.load.LoadResult;
import io.devicelogin.bench.scenario.Scenarios;
import io.devicelogin.bench.scenario.Scenarios.IssuedCode;
import io.devicelogin.bench.target.ProcessMemory;
import io.devicelogin.bench.target.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Scenarios 1 and 2 against one server, the same way for each server compared: start it, warm it up
 * with device authorization requests, measure them, fill its store to {@code codes} device codes
 * (reading its resident memory before and after), then measure pending polls over all of those
 * codes in rotation, so that at the rates measured here each code comes round no sooner than its
 * interval.
 */
public final class SideBySide {
  /**
   * @param codes device codes in the store when the polls run, and for the memory reading
   */
  public record Plan(int connections, Duration warmup, Duration duration, int codes) {
    public static Plan full() {
      return new Plan(64, Duration.ofSeconds(10), Duration.ofSeconds(10), 250_000);
    }

    public static Plan smoke() {
      return new Plan(4, Duration.ofMillis(200), Duration.ofMillis(500), 300);
    }
  }

  /**
   * @param rotation how long a code waited between two of its polls, on average: codes ÷ polls per
   *     second
   */
  public record Figures(
      String name,
      Duration startup,
      long rssIdle,
      LoadResult deviceAuthorizations,
      LoadResult pendingPolls,
      int codes,
      long rssAfterCodes,
      Duration rotation) {}

  private SideBySide() {}

  public static Figures run(Target target, Plan plan) {
    long rssIdle = ProcessMemory.rssBytes(target.pid());
    List<String> codes = Collections.synchronizedList(new ArrayList<>());
    LoadResult device =
        Scenarios.deviceAuthorizations(
            target, plan.connections(), plan.warmup(), plan.duration(), codes::add);
    ServerBench.log(
        "%s: device authorizations %s, p99 %s",
        target.name(), Table.rate(device.throughput()), Table.ms(device.millis(99)));
    int more = plan.codes() - codes.size();
    if (more > 0) {
      for (IssuedCode c : Scenarios.issueCodes(target, more, Math.min(16, plan.connections()))) {
        codes.add(c.deviceCode());
      }
    }
    List<String> rotation = new ArrayList<>(codes);
    long rssAfter = ProcessMemory.rssBytes(target.pid());
    ServerBench.log(
        "%s: RSS %s idle, %s with %,d device codes",
        target.name(), Table.mb(rssIdle), Table.mb(rssAfter), rotation.size());
    LoadResult polls =
        Scenarios.pendingPolls(
            target, rotation, plan.connections(), plan.warmup(), plan.duration());
    Duration period =
        Duration.ofMillis(Math.round(rotation.size() / Math.max(1, polls.throughput()) * 1000));
    ServerBench.log(
        "%s: pending polls %s, p99 %s, each code every %.1f s (%s)",
        target.name(),
        Table.rate(polls.throughput()),
        Table.ms(polls.millis(99)),
        period.toMillis() / 1000.0,
        Table.kinds(polls));
    return new Figures(
        target.name(), target.startup(), rssIdle, device, polls, rotation.size(), rssAfter, period);
  }
}
