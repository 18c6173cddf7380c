package io.devicelogin.server.web;

import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.store.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A limit on failed attempts (wrong user codes, failed sign-ins) per browser session and per IP
 * address, counted from the audit trail so that it holds across server instances and restarts.
 * Either count reaching the limit locks both out until the oldest failure in the window leaves it.
 */
final class AttemptLimit {
  private static final Object[] STRIPES = new Object[256];

  static {
    for (int i = 0; i < STRIPES.length; i++) {
      STRIPES[i] = new Object();
    }
  }

  private final AuditLog audit;
  private final AuditEvent.Type failure;
  private final int allowed;
  private final Duration window;

  AttemptLimit(AuditLog audit, AuditEvent.Type failure, int allowed, Duration window) {
    this.audit = audit;
    this.failure = failure;
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
    int a = Math.floorMod(sessionRef.hashCode(), STRIPES.length);
    int b = Math.floorMod(String.valueOf(ip).hashCode(), STRIPES.length);
    synchronized (STRIPES[Math.min(a, b)]) {
      synchronized (STRIPES[Math.max(a, b)]) {
        work.run();
      }
    }
  }

  State check(String sessionRef, String ip) {
    long bySession = audit.countBySession(failure, sessionRef, window);
    long byIp = audit.countByIp(failure, ip, window);
    Optional<Instant> until = Optional.empty();
    if (bySession >= allowed) {
      until =
          later(until, audit.oldestBySession(failure, sessionRef, window).map(t -> t.plus(window)));
    }
    if (byIp >= allowed) {
      until = later(until, audit.oldestByIp(failure, ip, window).map(t -> t.plus(window)));
    }
    return new State(bySession, byIp, until, allowed);
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
