package io.devicelogin.bench;

import io.devicelogin.bench.load.LoadResult;
import io.devicelogin.bench.scenario.Scenarios;
import io.devicelogin.bench.target.DeviceLoginTarget;
import io.devicelogin.bench.target.DeviceLoginTarget.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One scenario against a server that records a Java Flight Recording, for finding where the time
 * goes: {@code ProfilePolls [polls|device|issuance] CODES SECONDS [JVM options…]}; the recording is
 * {@code bench/target/run/profile/server.jfr} ({@code jfr print --events jdk.ExecutionSample …}).
 */
public final class ProfilePolls {
  private ProfilePolls() {}

  public static void main(String[] args) {
    String scenario = args.length > 0 ? args[0] : "polls";
    int codes = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    Path dir = Path.of("bench/target/run/profile");
    List<String> jvm =
        new ArrayList<>(List.of(args).subList(Math.min(3, args.length), args.length));
    try (DeviceLoginTarget server =
        DeviceLoginTarget.start(
            Path.of(System.getProperty("jar", "server/target/devicelogin-server.jar")),
            dir,
            Database.H2,
            jvm)) {
      LoadResult r;
      Path jfr = dir.toAbsolutePath().getParent().resolve("server.jfr");

      switch (scenario) {
        case "device" -> {
          recordLater(server.pid(), 6, seconds - 2, jfr);
          r =
              Scenarios.deviceAuthorizations(
                  server, 64, Duration.ofSeconds(5), Duration.ofSeconds(seconds));
        }
        case "issuance" -> {
          List<Scenarios.IssuedCode> approved = Scenarios.issueCodes(server, codes, 16);
          Scenarios.approve(server, approved, 4);
          recordLater(server.pid(), 0, seconds, jfr);
          r = Scenarios.issuance(server, approved, 64).load();
        }
        default -> {
          List<String> pending =
              Scenarios.issueCodes(server, codes, 16).stream()
                  .map(Scenarios.IssuedCode::deviceCode)
                  .toList();
          recordLater(server.pid(), seconds + 1, seconds - 2, jfr);
          r =
              Scenarios.pendingPolls(
                  server,
                  pending,
                  Integer.getInteger("connections", 64),
                  Duration.ofSeconds(seconds),
                  Duration.ofSeconds(seconds));
        }
      }
      System.out.printf(
          "%s: %s, p50 %s, p99 %s, server CPU %.0f µs per answer, loader %.0f µs, %s%n",
          scenario,
          Table.rate(r.throughput()),
          Table.ms(r.millis(50)),
          Table.ms(r.millis(99)),
          r.serverCpuMicrosPerAnswer(),
          r.loaderCpuMicrosPerAnswer(),
          Table.kinds(r));
    }
  }

  /** Starts a recording of the server after {@code delay} seconds, for {@code duration} seconds. */
  private static void recordLater(long pid, int delay, int duration, Path jfr) {
    if (!Boolean.parseBoolean(System.getProperty("record", "true"))) {
      return;
    }
    Thread recorder =
        new Thread(
            () -> {
              try {
                Thread.sleep(delay * 1000L);
                new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(pid),
                        "JFR.start",
                        "settings=profile",
                        "duration=" + duration + "s",
                        "filename=" + jfr)
                    .start()
                    .waitFor();
              } catch (Exception e) {
                System.err.println("no recording: " + e);
              }
            });
    recorder.setDaemon(true);
    recorder.start();
  }
}
