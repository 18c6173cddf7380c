package io.devicelogin.server.identity;

import io.devicelogin.client.Secret;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.store.BrowserSession;
import io.devicelogin.server.store.BrowserSessionStore;
import io.devicelogin.server.store.Jdbc;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Browser sessions of the verification, account and admin pages, in {@code browser_sessions}. A
 * session is named by 256 random bits that only the browser holds (in a cookie); the table keeps
 * their SHA-256, so a copy of the database does not let anyone take over a session.
 *
 * <p>Sessions live a fixed time from their creation or from sign-in, whichever is later; they do
 * not slide. Signing in rotates the id and the CSRF token (a session id planted in a browser before
 * sign-in is worthless after it) but keeps the {@link BrowserSession#ref() ref}, so that limits
 * counted per session are not reset by signing in.
 */
public final class BrowserSessions {
  private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

  private final BrowserSessionStore store;
  private final Clock clock;
  private final SecureRandom random;
  private final Duration lifetime;
  private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE);

  public BrowserSessions(Jdbc jdbc, Clock clock, SecureRandom random, Duration lifetime) {
    this.store = new BrowserSessionStore(jdbc);
    this.clock = clock;
    this.random = random;
    this.lifetime = lifetime;
  }

  /** A new session and the cookie value that names it; the value is for the browser only. */
  public record Opened(Secret cookie, BrowserSession session) {}

  /** Starts an anonymous session. */
  public Opened open() {
    sweepNowAndThen();
    Secret id = Hashing.newSecret(random);
    Instant now = clock.instant();
    BrowserSession session =
        new BrowserSession(
            Hashing.sha256(id),
            UUID.randomUUID().toString(),
            Optional.empty(),
            Hashing.newSecret(random).revealForTransmission(),
            now,
            now.plus(lifetime));
    store.insert(session);
    return new Opened(id, session);
  }

  /** The live session a cookie value names, if any. */
  public Optional<BrowserSession> find(String cookieValue) {
    if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 128) {
      return Optional.empty();
    }
    return store.findLive(Hashing.sha256(cookieValue), clock.instant());
  }

  /**
   * Signs {@code userId} in to {@code session}: a new id and CSRF token, a fresh lifetime, the same
   * ref. The old cookie value stops working.
   */
  public Opened signIn(BrowserSession session, String userId) {
    Secret id = Hashing.newSecret(random);
    Instant now = clock.instant();
    BrowserSession rotated =
        new BrowserSession(
            Hashing.sha256(id),
            session.ref(),
            Optional.of(userId),
            Hashing.newSecret(random).revealForTransmission(),
            session.createdAt(),
            now.plus(lifetime));
    if (!store.rotate(session.idHash(), rotated)) {
      throw new IllegalStateException("the session ended while signing in");
    }
    return new Opened(id, rotated);
  }

  /** Ends a session (sign-out). */
  public void end(BrowserSession session) {
    store.delete(session.idHash());
  }

  /** Deletes expired sessions; returns how many. */
  public int sweepExpired() {
    return store.deleteExpired(clock.instant());
  }

  /** Sessions are opened by anyone who loads a page: keep the table from collecting dead rows. */
  private void sweepNowAndThen() {
    long now = clock.millis();
    long last = lastSweep.get();
    if (last == Long.MIN_VALUE || now - last >= SWEEP_EVERY.toMillis()) {
      if (lastSweep.compareAndSet(last, now)) {
        sweepExpired();
      }
    }
  }
}
