package io.devicelogin.bench.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * What the soak saw, kept from every worker thread at once: answers and their latencies by
 * interval, errors by kind, and the counts that must stay at zero. Intervals are closed by the
 * sampler, so that each row of the report is one stretch of wall time.
 */
final class Ledger {
  /** The figures that must be zero, by the name the report gives them. */
  enum Breach {
    APPROVAL_LOST("approvals lost (approved, then never redeemed)"),
    ISSUED_TWICE("tokens issued twice (a code, refresh token or access token accepted again)"),
    REVOKED_ACCEPTED("revoked refresh tokens accepted");

    final String label;

    Breach(String label) {
      this.label = label;
    }
  }

  /**
   * One stretch of the run: its answers, latencies and what the server's process held at its end.
   */
  static final class Interval {
    final Duration start;
    final Histogram latencyMicros = new Histogram(60_000_000L, 3);
    final LongAdder answers = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder flowsStarted = new LongAdder();
    final LongAdder flowsDone = new LongAdder();
    final List<String> events = new ArrayList<>();
    volatile long rssBytes = -1;

    Interval(Duration start) {
      this.start = start;
    }
  }

  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final Map<Breach, LongAdder> breaches = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> abandoned = new ConcurrentHashMap<>();
  private final Set<String> seenTokens = ConcurrentHashMap.newKeySet();
  private final LongAdder flowsCompleted = new LongAdder();
  private final LongAdder approvals = new LongAdder();
  private final List<Interval> intervals = new ArrayList<>();
  private volatile Interval current;

  Ledger() {
    next(Duration.ZERO);
  }

  /** Closes the current interval and opens the next, which starts at {@code at}. */
  synchronized Interval next(Duration at) {
    Interval closed = current;
    current = new Interval(at);
    intervals.add(current);
    return closed;
  }

  synchronized List<Interval> intervals() {
    return List.copyOf(intervals);
  }

  void answered(long micros) {
    Interval i = current;
    synchronized (i.latencyMicros) {
      i.latencyMicros.recordValue(Math.min(micros, i.latencyMicros.getHighestTrackableValue()));
    }
    i.answers.increment();
  }

  void error(String kind) {
    current.errors.increment();
    errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  void event(String text) {
    synchronized (this) {
      current.events.add(text);
    }
  }

  void flowStarted() {
    current.flowsStarted.increment();
  }

  void flowCompleted() {
    current.flowsDone.increment();
    flowsCompleted.increment();
  }

  void approved() {
    approvals.increment();
  }

  void abandoned(String reason) {
    abandoned.computeIfAbsent(reason, k -> new LongAdder()).increment();
  }

  void breach(Breach breach) {
    breaches.computeIfAbsent(breach, k -> new LongAdder()).increment();
  }

  /**
   * Records a token the server issued; a second sight of the same value (or JWT id) is a token
   * issued twice.
   */
  void issued(String tokenOrId) {
    if (!seenTokens.add(tokenOrId)) {
      breach(Breach.ISSUED_TWICE);
    }
  }

  long breaches(Breach breach) {
    LongAdder count = breaches.get(breach);
    return count == null ? 0 : count.sum();
  }

  long flowsCompleted() {
    return flowsCompleted.sum();
  }

  long approvals() {
    return approvals.sum();
  }

  Map<String, Long> errorsByKind() {
    return sorted(errors);
  }

  Map<String, Long> abandonedByReason() {
    return sorted(abandoned);
  }

  private static Map<String, Long> sorted(Map<String, LongAdder> counts) {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
