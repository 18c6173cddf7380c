package io.devicelogin.server.web;

import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.AuditEvent.Who;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A limit on attempts (wrong user codes, failed sign-ins, any sign-in) per browser session and per
 * address group ({@link io.devicelogin.server.protocol.AddressGroup}: an IPv4 address, an IPv6
 * /64), counted from the audit trail so that it holds across server instances and restarts. A
 * session reaching its allowance pauses that session; an address group reaching its own, which may
 * be higher (many people share one address behind a NAT), pauses every session from it. A pause
 * lasts until the oldest counted attempt leaves the window.
 *
 * <p>An administrator may lift a pause ({@code PAUSE_LIFTED} in the audit trail, for a session or
 * an address group): the key's attempts before the lift then no longer count, in every attempt
 * limit.
 */
final class AttemptLimit {
  private static final Object[] STRIPES = new Object[256];

  static {
    for (int i = 0; i < STRIPES.length; i++) {
      STRIPES[i] = new Object();
    }
  }

  private final AuditLog audit;
  private final Clock clock;
  private final String name;
  private final Set<AuditEvent.Type> counted;
  private final int allowedBySession;
  private final int allowedByAddress;
  private final Duration window;

  /**
   * A limit on the events of all of {@code counted} together.
   *
   * @param name what it limits, as an administrator reads it: {@code code entry}
   */
  AttemptLimit(
      AuditLog audit,
      Clock clock,
      String name,
      Set<AuditEvent.Type> counted,
      int allowedBySession,
      int allowedByAddress,
      Duration window) {
    this.audit = audit;
    this.clock = clock;
    this.name = name;
    this.counted = Set.copyOf(counted);
    this.allowedBySession = allowedBySession;
    this.allowedByAddress = allowedByAddress;
    this.window = window;
  }

  /** Where a session and an address group stand. */
  record State(
      long bySession,
      long byAddress,
      Optional<Instant> lockedUntil,
      int allowedBySession,
      int allowedByAddress) {
    boolean locked() {
      return lockedUntil.isPresent();
    }

    /** Failures still allowed before the pause. */
    long left() {
      return Math.max(0, Math.min(allowedBySession - bySession, allowedByAddress - byAddress));
    }

    /** The {@code Retry-After} of a locked-out request at {@code now}: a second past the end. */
    long retryAfterSeconds(Instant now) {
      return Math.max(1, Duration.between(now, lockedUntil.orElseThrow()).toSeconds() + 1);
    }
  }

  /** A paused session or address group, and until when. */
  record Pause(String limit, Who who, String key, Instant until) {}

  /**
   * Runs {@code work} (check, try, record) for a session and an address one at a time in this
   * instance: without it, a burst of parallel requests would all pass the check before any of their
   * failures is recorded.
   */
  void serialised(String sessionRef, String addressGroup, Runnable work) {
    serialised(List.of(sessionRef, String.valueOf(addressGroup)), work);
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

  State check(String sessionRef, String addressGroup) {
    Instant now = clock.instant();
    long bySession = count(Who.SESSION, sessionRef, now);
    long byAddress = count(Who.ADDRESS_GROUP, addressGroup, now);
    Optional<Instant> until = Optional.empty();
    if (bySession >= allowedBySession) {
      until = later(until, pausedUntil(Who.SESSION, sessionRef, now));
    }
    if (byAddress >= allowedByAddress) {
      until = later(until, pausedUntil(Who.ADDRESS_GROUP, addressGroup, now));
    }
    return new State(bySession, byAddress, until, allowedBySession, allowedByAddress);
  }

  /** Whether {@code key} is paused now, and until when. */
  Optional<Pause> paused(Who who, String key) {
    Instant now = clock.instant();
    if (key == null || count(who, key, now) < allowed(who)) {
      return Optional.empty();
    }
    return pausedUntil(who, key, now).map(until -> new Pause(name, who, key, until));
  }

  /** The sessions and address groups paused now, at most {@code limit} of each. */
  List<Pause> pauses(int limit) {
    Instant now = clock.instant();
    List<Pause> pauses = new ArrayList<>();
    for (Who who : Who.values()) {
      for (String key : audit.atLeast(counted, who, now.minus(window), allowed(who), limit)) {
        paused(who, key).ifPresent(pauses::add);
      }
    }
    return pauses;
  }

  private int allowed(Who who) {
    return who == Who.SESSION ? allowedBySession : allowedByAddress;
  }

  /** Attempts of {@code key} within the window, and after its pause was last lifted. */
  private long count(Who who, String key, Instant now) {
    return key == null ? 0 : audit.count(counted, who, key, since(who, key, now));
  }

  private Optional<Instant> pausedUntil(Who who, String key, Instant now) {
    return audit.oldest(counted, who, key, since(who, key, now)).map(t -> t.plus(window));
  }

  private Instant since(Who who, String key, Instant now) {
    Instant start = now.minus(window);
    return audit
        .newest(AuditEvent.Type.PAUSE_LIFTED, who, key)
        .filter(lifted -> lifted.isAfter(start))
        .orElse(start);
  }

  /** Attempts allowed per session. */
  int allowed() {
    return allowedBySession;
  }

  /** Attempts allowed per address group. */
  int allowedByAddress() {
    return allowedByAddress;
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
