package io.devicelogin.server.identity;

import io.devicelogin.client.Secret;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.config.SessionSettings;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.identity.SessionTickets.Issued;
import io.devicelogin.server.identity.SessionTickets.Ticket;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.store.BrowserSession;
import io.devicelogin.server.store.BrowserSessionStore;
import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.store.ServerSecretStore;
import io.devicelogin.server.store.StoreException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Browser sessions of the verification, account and admin pages. A session is named by 256 random
 * bits that only the browser holds (in a cookie); {@code browser_sessions} keeps their SHA-256, so
 * that a copy of the database does not let anyone take over a session.
 *
 * <p>A session is stored only when its browser first posts a form; before that it is a signed
 * {@link SessionTickets ticket} in the cookie, so that loading pages costs no row. Storing takes
 * the ticket's ref and CSRF token, and at most {@link Defaults#ANONYMOUS_SESSIONS_PER_ADDRESS}
 * anonymous sessions are stored per address.
 *
 * <p>Sessions live a fixed time from their first post or from sign-in, whichever is later, and end
 * sooner when unused for the idle timeout; each use moves their last use, written at most once a
 * minute. Signing in rotates the id and the CSRF token (a session id planted in a browser before
 * sign-in is worthless after it) but keeps the {@link BrowserSession#ref() ref}, so that limits
 * counted per session are not reset by signing in.
 */
public final class BrowserSessions {
  private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

  /** The {@code server_secrets} row of the key that signs tickets. */
  static final String TICKET_KEY = "session-tickets";

  private final BrowserSessionStore store;
  private final SessionTickets tickets;
  private final Clock clock;
  private final SecureRandom random;
  private final SessionSettings settings;
  private final int anonymousPerAddress;
  private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE);

  /** Loads the ticket key from the database, storing a new one if there is none. */
  public BrowserSessions(
      Jdbc jdbc,
      Clock clock,
      SecureRandom random,
      SessionSettings settings,
      int anonymousPerAddress) {
    this.store = new BrowserSessionStore(jdbc);
    this.clock = clock;
    this.random = random;
    this.settings = settings;
    this.anonymousPerAddress = anonymousPerAddress;
    Secret key =
        new ServerSecretStore(jdbc)
            .findOrStore(TICKET_KEY, Hashing.newSecret(random), clock.instant());
    this.tickets =
        new SessionTickets(
            key,
            clock,
            random,
            settings.lifetime(),
            settings.idleTimeout(),
            Defaults.BROWSER_SESSION_SEEN_EVERY);
  }

  /** A stored session and the cookie value that names it; the value is for the browser only. */
  public record Opened(Secret cookie, BrowserSession session) {}

  /** A ticket for a new session, not stored. */
  public Issued newTicket() {
    return tickets.issue();
  }

  /** The live ticket a cookie value carries, if it is one. */
  public Optional<Ticket> ticket(String cookieValue) {
    return tickets.verify(cookieValue);
  }

  /** The ticket signed anew if a minute has passed since it was, so that it stays alive in use. */
  public Optional<Issued> renewIfDue(Ticket ticket) {
    return tickets.dueForRenewal(ticket) ? Optional.of(tickets.renew(ticket)) : Optional.empty();
  }

  /** When a ticket ends, unless renewed. */
  public Instant endOf(Ticket ticket) {
    return tickets.endOf(ticket);
  }

  /**
   * Stores the session of {@code ticket}, whose browser posts its first form from {@code ip}: the
   * same ref and CSRF token, so that what was counted for the ticket counts for the session, and
   * forms open in other tabs still post. Every first post of one ticket gets the one session.
   *
   * @throws OAuthProblem {@code too_many_requests} when {@code ip} already has {@link
   *     Defaults#ANONYMOUS_SESSIONS_PER_ADDRESS} live anonymous sessions, with when one ends
   */
  public Opened open(Ticket ticket, String ip) {
    sweepNowAndThen();
    Secret id = tickets.sessionIdOf(ticket);
    Optional<Opened> already = storedAnonymous(id);
    if (already.isPresent()) {
      return already.get();
    }
    Instant now = clock.instant();
    BrowserSessionStore.FromAddress from = store.anonymousFrom(ip, now, idleSince(now));
    if (from.live() >= anonymousPerAddress) {
      throw OAuthProblem.tooManyRequests(
          "too many browser sessions from this address", retryAfter(from, now));
    }
    // A row of this id that has ended but is not swept yet would stand in the way.
    store.delete(Hashing.sha256(id));
    BrowserSession session =
        new BrowserSession(
            Hashing.sha256(id),
            ticket.ref(),
            Optional.empty(),
            ticket.csrfToken(),
            now,
            now.plus(settings.lifetime()),
            now,
            Optional.empty());
    try {
      store.insert(session, ip);
      return new Opened(id, session);
    } catch (StoreException e) {
      if (!e.isUniqueViolation()) {
        throw e;
      }
    }
    already = storedAnonymous(id);
    if (already.isPresent()) {
      return already.get(); // stored a moment ago by a parallel first post of the same ticket
    }
    // The ticket's session has been signed in (and its id rotated) or ended: the ticket, replayed,
    // gets a session of its own, which shares nothing with that one.
    Secret other = Hashing.newSecret(random);
    BrowserSession fresh =
        new BrowserSession(
            Hashing.sha256(other),
            UUID.randomUUID().toString(),
            Optional.empty(),
            Hashing.newSecret(random).revealForTransmission(),
            now,
            session.expiresAt(),
            now,
            Optional.empty());
    store.insert(fresh, ip);
    return new Opened(other, fresh);
  }

  private Optional<Opened> storedAnonymous(Secret id) {
    return find(id.revealForTransmission()).filter(s -> !s.signedIn()).map(s -> new Opened(id, s));
  }

  /** The live session a cookie value names, if any; its use is recorded for the idle timeout. */
  public Optional<BrowserSession> find(String cookieValue) {
    if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 128) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Optional<BrowserSession> live =
        store.findLive(Hashing.sha256(cookieValue), now, idleSince(now));
    return live.map(s -> seen(s, now));
  }

  /** Signs {@code userId} in to {@code session} with a password; see the other {@code signIn}. */
  public Opened signIn(BrowserSession session, String userId) {
    return signIn(session, userId, Optional.empty(), BrowserSession.PASSWORD);
  }

  /**
   * Signs {@code userId} in to {@code session}: a new id and CSRF token, a fresh lifetime, the same
   * ref, and how the person signed in ({@code idp}, {@code amr}). The old cookie value stops
   * working.
   */
  public Opened signIn(BrowserSession session, String userId, Optional<String> idp, String amr) {
    return signIn(session, userId, idp, Optional.of(amr));
  }

  /**
   * Signs {@code userId} in to {@code session} as the other {@code signIn}; {@code amr} is empty
   * when the upstream {@code idp} did not say how the person authenticated.
   */
  public Opened signIn(
      BrowserSession session, String userId, Optional<String> idp, Optional<String> amr) {
    Secret id = Hashing.newSecret(random);
    Instant now = clock.instant();
    BrowserSession rotated =
        new BrowserSession(
            Hashing.sha256(id),
            session.ref(),
            Optional.of(userId),
            Hashing.newSecret(random).revealForTransmission(),
            session.createdAt(),
            now.plus(settings.lifetime()),
            now,
            Optional.of(now),
            idp,
            amr);
    if (!store.rotate(session.idHash(), rotated)) {
      throw new IllegalStateException("the session ended while signing in");
    }
    return new Opened(id, rotated);
  }

  /** Records that the session's person typed their password again, now. */
  public BrowserSession passwordConfirmed(BrowserSession session) {
    Instant now = clock.instant();
    store.authenticated(session.idHash(), now);
    return session.authenticatedAt(now);
  }

  /** Whether a password was typed in the session within {@code window}. */
  public boolean authenticatedWithin(BrowserSession session, Duration window) {
    Instant since = clock.instant().minus(window);
    return session.authenticatedAt().filter(at -> at.isAfter(since)).isPresent();
  }

  /** Ends a session (sign-out). */
  public void end(BrowserSession session) {
    store.delete(session.idHash());
  }

  /** Deletes expired and idle sessions; returns how many. */
  public int sweepExpired() {
    Instant now = clock.instant();
    return store.deleteExpired(now, idleSince(now));
  }

  private BrowserSession seen(BrowserSession session, Instant now) {
    if (now.isBefore(session.lastSeenAt().plus(Defaults.BROWSER_SESSION_SEEN_EVERY))) {
      return session;
    }
    store.seen(session.idHash(), now);
    return session.seenAt(now);
  }

  private Instant idleSince(Instant now) {
    return now.minus(settings.idleTimeout());
  }

  /** When the first of the address's anonymous sessions ends; at least a second. */
  private Duration retryAfter(BrowserSessionStore.FromAddress from, Instant now) {
    Instant end = now.plus(settings.idleTimeout());
    if (from.firstSeen().isPresent()) {
      Instant idle = from.firstSeen().get().plus(settings.idleTimeout());
      end = idle.isBefore(end) ? idle : end;
    }
    if (from.firstExpiry().isPresent() && from.firstExpiry().get().isBefore(end)) {
      end = from.firstExpiry().get();
    }
    return Duration.ofSeconds(Math.max(1, Duration.between(now, end).toSeconds() + 1));
  }

  /** Sessions are stored by anyone who posts a form: keep the table from collecting dead rows. */
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
