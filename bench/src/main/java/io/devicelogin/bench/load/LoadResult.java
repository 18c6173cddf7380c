package io.devicelogin.bench.load;

import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one load run measured.
 *
 * @param connections the connections that carried it
 * @param window the measured time: from the end of the warm-up to the last counted answer
 * @param latency request latencies in microseconds
 * @param kinds counted answers by kind
 * @param errors connection failures and malformed answers
 * @param firstError the first of them, for the report
 * @param serverCpuNanos CPU time the server process used in the window (all its threads); -1 if not
 *     read
 * @param loaderCpuNanos CPU time this process (the load generator) used in the window; -1 if not
 *     read
 */
public record LoadResult(
    int connections,
    Duration window,
    Histogram latency,
    Map<String, Long> kinds,
    long errors,
    String firstError,
    long serverCpuNanos,
    long loaderCpuNanos) {

  /** The load generator's CPU time per counted answer, in microseconds; NaN if not read. */
  public double loaderCpuMicrosPerAnswer() {
    return loaderCpuNanos < 0 || answers() == 0 ? Double.NaN : loaderCpuNanos / 1000.0 / answers();
  }

  /** The server's CPU time per counted answer, in microseconds; NaN if not read. */
  public double serverCpuMicrosPerAnswer() {
    return serverCpuNanos < 0 || answers() == 0 ? Double.NaN : serverCpuNanos / 1000.0 / answers();
  }

  /** Counted answers of every kind. */
  public long answers() {
    return kinds.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Answers of these kinds per second of the window. */
  public double perSecond(String... ofKinds) {
    long n = 0;
    for (String k : ofKinds) {
      n += kinds.getOrDefault(k, 0L);
    }
    return n / (window.toNanos() / 1e9);
  }

  /** Every answer per second of the window. */
  public double throughput() {
    return answers() / (window.toNanos() / 1e9);
  }

  /** A latency percentile in milliseconds. */
  public double millis(double percentile) {
    return latency.getValueAtPercentile(percentile) / 1000.0;
  }
}
