package io.devicelogin.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The soak's verdict on flatness compares the quiet rows of its first third with its last. */
class SoakReportTest {
  private static Ledger.Interval row(int minute, long p99Micros, long rssMb, String event) {
    Ledger.Interval i = new Ledger.Interval(Duration.ofMinutes(minute));
    for (int n = 0; n < 100; n++) {
      i.latencyMicros.recordValue(n < 98 ? 1_000 : p99Micros);
    }
    i.flowsStarted.add(120);
    i.rssBytes = rssMb << 20;
    if (event != null) {
      i.events.add(event);
    }
    return i;
  }

  @Test
  void rowsWithAnEventAreLeftOutAndTheThirdsAreComparedByMedianP99AndLargestRss() {
    List<Ledger.Interval> rows = new ArrayList<>();
    rows.add(row(0, 50_000, 200, null));
    rows.add(row(1, 60_000, 210, null));
    rows.add(row(2, 5_000_000, 900, "PostgreSQL stopped"));
    rows.add(row(3, 70_000, 220, null));
    rows.add(row(4, 80_000, 300, null));
    rows.add(row(5, 90_000, 310, null));

    String verdict = SoakReport.steadiness(rows);

    assertThat(verdict)
        .contains("Over the 5 rows without an event")
        .contains("first third is 50.0 ms")
        .contains("last third 90.0 ms")
        .contains("first third is 200 MB")
        .contains("last third 310 MB");
  }

  @Test
  void withTooFewQuietRowsItSaysItCannotJudge() {
    assertThat(SoakReport.steadiness(List.of(row(0, 1_000, 100, "started"))))
        .startsWith("Too few rows");
  }
}
