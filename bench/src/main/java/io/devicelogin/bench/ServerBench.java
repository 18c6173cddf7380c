package io.devicelogin.bench;

import io.devicelogin.bench.load.LoadResult;
import io.devicelogin.bench.scenario.Scenarios;
import io.devicelogin.bench.scenario.Scenarios.IssuedCode;
import io.devicelogin.bench.scenario.Scenarios.IssuedTokens;
import io.devicelogin.bench.target.DeviceLoginTarget;
import io.devicelogin.bench.target.DeviceLoginTarget.Database;
import io.devicelogin.bench.target.JvmMemory;
import io.devicelogin.bench.target.ProcessMemory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The devicelogin server's hot paths under load, on one database: pending polls with 1k, 10k and
 * 100k pending authorizations in the store, device authorization requests, token issuance, refresh
 * with rotation, introspection of valid and revoked tokens, and the server's memory.
 */
public final class ServerBench {
  /**
   * How hard and how long.
   *
   * @param storeSizes pending authorizations in the store for the pending-poll runs, ascending
   * @param warmupRedemptions approved codes redeemed before the token-issuance run, not counted
   *     (the ES256 signing code is slow until the JIT has compiled it)
   * @param redemptions approved codes redeemed in the token-issuance run
   * @param totalCodes device codes issued in all before the last memory reading
   */
  public record Plan(
      int connections,
      Duration warmup,
      Duration duration,
      List<Integer> storeSizes,
      int warmupRedemptions,
      int redemptions,
      int totalCodes,
      List<String> jvmOptions) {
    /** The full run of RESULTS.md. */
    public static Plan full(List<String> jvmOptions) {
      return new Plan(
          64,
          Duration.ofSeconds(10),
          Duration.ofSeconds(10),
          List.of(1_000, 10_000, 100_000),
          3_000,
          4_000,
          250_000,
          jvmOptions);
    }

    /**
     * A few seconds, for the CI's smoke run. Each window is long enough that a cold server on a
     * busy two-core machine still answers in it: at 0.5 s a refresh run once measured nothing.
     */
    public static Plan smoke() {
      return new Plan(
          4, Duration.ofMillis(300), Duration.ofMillis(1500), List.of(100), 10, 70, 400, List.of());
    }
  }

  /** The figures of one database's run, also kept for the targets and ratios. */
  public record Figures(
      String name,
      Duration startup,
      Map<Integer, LoadResult> pendingPolls,
      LoadResult deviceAuthorizations,
      LoadResult issuance,
      LoadResult refresh,
      LoadResult introspectValid,
      LoadResult introspectRevoked,
      long heapAt100k,
      long rssAt100k,
      long rssAtTotal,
      int totalCodes) {}

  private ServerBench() {}

  public static Figures run(Path serverJar, Path workDir, Database database, Plan plan) {
    try (DeviceLoginTarget server =
        DeviceLoginTarget.start(serverJar, workDir, database, plan.jvmOptions())) {
      log("%s ready in %d ms", server.name(), server.startup().toMillis());
      int conns = plan.connections();
      List<String> pending = new ArrayList<>();
      Map<Integer, LoadResult> polls = new LinkedHashMap<>();
      for (int size : plan.storeSizes()) {
        for (IssuedCode c :
            Scenarios.issueCodes(server, size - pending.size(), Math.min(conns, 16))) {
          pending.add(c.deviceCode());
        }
        LoadResult r =
            Scenarios.pendingPolls(server, pending, conns, plan.warmup(), plan.duration());
        log(
            "pending polls, %,d in the store: %s, p99 %s",
            size, Table.rate(r.throughput()), Table.ms(r.millis(99)));
        polls.put(size, r);
      }
      long heap = JvmMemory.heapUsedAfterGc(server.pid());
      long rss = ProcessMemory.rssBytes(server.pid());
      log("heap %s, RSS %s with %,d pending", Table.mb(heap), Table.mb(rss), pending.size());

      LoadResult device =
          Scenarios.deviceAuthorizations(server, conns, plan.warmup(), plan.duration());
      log(
          "device authorizations: %s, p99 %s",
          Table.rate(device.throughput()), Table.ms(device.millis(99)));

      List<IssuedCode> toApprove =
          Scenarios.issueCodes(
              server, plan.warmupRedemptions() + plan.redemptions(), Math.min(conns, 16));
      long approving = System.nanoTime();
      Scenarios.approve(server, toApprove, 4);
      log(
          "approved %,d codes through the pages in %d ms",
          toApprove.size(), (System.nanoTime() - approving) / 1_000_000);
      Scenarios.issuance(server, toApprove.subList(0, plan.warmupRedemptions()), conns);
      Scenarios.Issuance issuance =
          Scenarios.issuance(
              server, toApprove.subList(plan.warmupRedemptions(), toApprove.size()), conns);
      log(
          "token issuance: %s, p99 %s",
          Table.rate(issuance.load().perSecond("ok")), Table.ms(issuance.load().millis(99)));
      List<IssuedTokens> tokens = issuance.tokens();
      if (tokens.size() < conns * 2) {
        throw new IllegalStateException(
            "too few tokens for the next runs: " + issuance.load().kinds());
      }

      List<String> chains =
          tokens.subList(0, conns).stream().map(IssuedTokens::refreshToken).toList();
      LoadResult refresh = Scenarios.refresh(server, chains, conns, plan.warmup(), plan.duration());
      log("refresh: %s, p99 %s", Table.rate(refresh.perSecond("ok")), Table.ms(refresh.millis(99)));

      List<IssuedTokens> rest = tokens.subList(conns, tokens.size());
      List<IssuedTokens> revoked = rest.subList(0, rest.size() / 2);
      List<IssuedTokens> valid = rest.subList(rest.size() / 2, rest.size());
      Scenarios.revoke(
          server, revoked.stream().map(IssuedTokens::refreshToken).toList(), Math.min(conns, 16));
      LoadResult introspectValid = introspection(server, valid, plan);
      LoadResult introspectRevoked = introspection(server, revoked, plan);
      log(
          "introspection: valid %s, revoked %s",
          Table.rate(introspectValid.throughput()), Table.rate(introspectRevoked.throughput()));

      long issued = pending.size() + device.answers() + toApprove.size();
      // Answers during the warm-up are not counted, but they created codes too: ask the server.
      int more = (int) Math.max(0, plan.totalCodes() - issued);
      if (more > 0) {
        Scenarios.issueCodes(server, more, Math.min(conns, 16));
      }
      long rssTotal = ProcessMemory.rssBytes(server.pid());
      log("RSS %s after at least %,d device codes", Table.mb(rssTotal), plan.totalCodes());
      return new Figures(
          server.name(),
          server.startup(),
          polls,
          device,
          issuance.load(),
          refresh,
          introspectValid,
          introspectRevoked,
          heap,
          rss,
          rssTotal,
          plan.totalCodes());
    }
  }

  /** Introspection of the access tokens of {@code tokens}, measured. */
  private static LoadResult introspection(
      DeviceLoginTarget server, List<IssuedTokens> tokens, Plan plan) {
    return Scenarios.introspection(
        server,
        tokens.stream().map(IssuedTokens::accessToken).toList(),
        plan.connections(),
        plan.warmup(),
        plan.duration());
  }

  static void log(String format, Object... args) {
    System.out.printf("bench: " + format + "%n", args);
    System.out.flush();
  }

  /** Runs one database's scenarios: {@code ServerBench [h2|postgresql] [smoke]}. */
  public static void main(String[] args) {
    Database db =
        args.length > 0 && args[0].equalsIgnoreCase("postgresql")
            ? Database.POSTGRESQL
            : Database.H2;
    Plan plan =
        args.length > 1 && args[1].equals("smoke") ? Plan.smoke() : Plan.full(Bench.SERVER_JVM);
    Path jar =
        Path.of(
            System.getProperty("devicelogin.server.jar", "server/target/devicelogin-server.jar"));
    Figures f = run(jar, Path.of("bench/target/run/server-" + db.name().toLowerCase()), db, plan);
    System.out.println(f.name() + " done");
  }
}
