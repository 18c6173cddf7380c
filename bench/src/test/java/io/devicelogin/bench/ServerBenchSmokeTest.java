package io.devicelogin.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.bench.load.LoadResult;
import io.devicelogin.bench.target.DeviceLoginTarget.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI's smoke run of the benchmarks: every load scenario for a fraction of a second against the
 * server's real jar in its own process (H2), checking that each one measured what it says it does.
 * The figures of such a short run mean nothing; bench/run gives the real ones.
 */
class ServerBenchSmokeTest {
  @Test
  void everyScenarioRunsAgainstTheServersJarAndGetsTheAnswersItMeasures(@TempDir Path dir) {
    Path jar = Path.of(System.getProperty("devicelogin.server.jar"));
    ServerBench.Plan plan = ServerBench.Plan.smoke();
    ServerBench.Figures f = ServerBench.run(jar, dir.resolve("server"), Database.H2, plan);

    LoadResult polls = f.pendingPolls().get(plan.storeSizes().get(0));
    assertThat(polls.kinds().keySet())
        .as("nobody approved: pending or slow_down, nothing else")
        .isNotEmpty()
        .isSubsetOf("authorization_pending", "slow_down");
    assertThat(polls.serverCpuNanos()).as("the server's CPU time is read").isNotNegative();
    assertThat(f.deviceAuthorizations().kinds().keySet()).containsOnly("ok");
    assertThat(f.issuance().kinds())
        .as("every approved code redeemed once")
        .containsOnly(java.util.Map.entry("ok", (long) plan.redemptions()));
    assertThat(f.refresh().kinds().keySet())
        .as("rotation never presents a used token")
        .containsOnly("ok");
    assertThat(f.introspectValid().kinds().keySet()).containsOnly("active");
    assertThat(f.introspectRevoked().kinds().keySet()).containsOnly("inactive");
    for (LoadResult r :
        java.util.List.of(
            polls,
            f.deviceAuthorizations(),
            f.issuance(),
            f.refresh(),
            f.introspectValid(),
            f.introspectRevoked())) {
      assertThat(r.errors()).as(String.valueOf(r.firstError())).isZero();
      assertThat(r.latency().getTotalCount()).isEqualTo(r.answers());
    }
    assertThat(f.heapAt100k()).isPositive();
    assertThat(f.rssAtTotal()).isPositive();
    assertThat(f.startup()).isPositive();
  }
}
