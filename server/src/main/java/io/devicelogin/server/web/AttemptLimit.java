package io.devicelogin.server.web;

import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.store.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A limit on attempts (wrong user codes, failed sign-ins, any sign-in) per browser session and per
 * IP address, counted from the audit trail so that it holds across server instances and restarts.
 * Either count reaching the limit locks both out until the oldest attempt in the window leaves it.
 */
final class AttemptLimit {
  private static final Object[] STRIPES = new Object[256];

  static {
    for (int i = 0; i < STRIPES.length; i++) {
      STRIPES[i] = new Object();
    }
  }

  private final AuditLog audit;
  private final Set<AuditEvent.Type> counted;
  private final int allowed;
  private final Duration window;

  AttemptLimit(AuditLog audit, AuditEvent.Type counted, int allowed, Duration window) {
    this(audit, Set.of(counted), allowed, window);
  }

  /** A limit on the events of all of {@code counted} together. */
  AttemptLimit(AuditLog audit, Set<AuditEvent.Type> counted, int allowed, Duration window) {
    this.audit = audit;
    this.counted = Set.copyOf(counted);
    this.allowed = allowed;
    this.window = window;
  }

  /** Where a session and an address stand. */
  record State(long bySession, long byIp, Optional<Instant> lockedUntil, int allowed) {
    boolean locked() {
      return lockedUntil.isPresent();
    }

    /** Failures still allowed before the lock-out. */
    long left() {
      return Math.max(0, allowed - Math.max(bySession, byIp));
    }

    /** The {@code Retry-After} of a locked-out request at {@code now}: a second past the end. */
    long retryAfterSeconds(Instant now) {
      return Math.max(1, Duration.between(now, lockedUntil.orElseThrow()).toSeconds() + 1);
    }
  }

  /**
   * Runs {@code work} (check, try, record) for a session and an address one at a time in this
   * instance: without it, a burst of parallel requests would all pass the check before any of their
   * failures is recorded.
   */
  void serialised(String sessionRef, String ip, Runnable work) {
    serialised(List.of(sessionRef, String.valueOf(ip)), work);
  }

  /**
   * Runs {@code work} one at a time with every other work of this instance that shares any of
   * {@code keys} (a session, an address, an account), whichever limit it checks. The stripes are
   * taken in ascending order, so two works never wait for each other's.
   */
  static void serialised(List<String> keys, Runnable work) {
    int[] stripes =
        keys.stream()
            .mapToInt(k -> Math.floorMod(k.hashCode(), STRIPES.length))
            .distinct()
            .sorted()
            .toArray();
    inOrder(stripes, 0, work);
  }

  private static void inOrder(int[] stripes, int next, Runnable work) {
    if (next == stripes.length) {
      work.run();
      return;
    }
    synchronized (STRIPES[stripes[next]]) {
      inOrder(stripes, next + 1, work);
    }
  }

  State check(String sessionRef, String ip) {
    long bySession = sum(type -> audit.countBySession(type, sessionRef, window));
    long byIp = sum(type -> audit.countByIp(type, ip, window));
    Optional<Instant> until = Optional.empty();
    if (bySession >= allowed) {
      until =
          later(
              until,
              oldest(type -> audit.oldestBySession(type, sessionRef, window))
                  .map(t -> t.plus(window)));
    }
    if (byIp >= allowed) {
      until =
          later(until, oldest(type -> audit.oldestByIp(type, ip, window)).map(t -> t.plus(window)));
    }
    return new State(bySession, byIp, until, allowed);
  }

  private long sum(Function<AuditEvent.Type, Long> count) {
    return counted.stream().mapToLong(count::apply).sum();
  }

  private Optional<Instant> oldest(Function<AuditEvent.Type, Optional<Instant>> first) {
    return counted.stream().map(first).flatMap(Optional::stream).min(Instant::compareTo);
  }

  int allowed() {
    return allowed;
  }

  Duration window() {
    return window;
  }

  private static Optional<Instant> later(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return Optional.of(a.get().isAfter(b.get()) ? a.get() : b.get());
  }
}
