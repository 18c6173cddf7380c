package io.devicelogin.server.web;

import io.devicelogin.client.Secret;
import io.devicelogin.server.identity.BrowserSessions;
import io.devicelogin.server.identity.SessionTickets;
import io.devicelogin.server.identity.UserService;
import io.devicelogin.server.metrics.Metrics;
import io.devicelogin.server.protocol.AddressGroup;
import io.devicelogin.server.protocol.FormRequest;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.protocol.RequestOrigin;
import io.devicelogin.server.store.BrowserSession;
import io.devicelogin.server.store.User;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The session cookie and the CSRF check. The cookie is {@code HttpOnly} (no script may read it;
 * there is none anyway), {@code SameSite=Lax} (another site's form POST arrives without it), {@code
 * Path=/}, and when the server is reached over HTTPS {@code Secure} and named {@code
 * __Host-dl_session}: a browser takes a {@code __Host-} cookie only from this very host, so a
 * sibling subdomain cannot plant a session of its choosing (RFC 6265bis §4.1.3.2).
 *
 * <p>Until the browser posts a form, the cookie holds a signed ticket ({@link SessionTickets}) and
 * nothing is stored; the first form post whose CSRF token matches the ticket stores the session,
 * with the ticket's ref and token, and the cookie then names the stored session.
 */
record SessionCookies(
    BrowserSessions sessions,
    UserService users,
    RequestOrigin origins,
    Metrics metrics,
    Clock clock,
    boolean secure) {
  static final String COOKIE = "dl_session";
  static final String HOST_ONLY_COOKIE = "__Host-" + COOKIE;
  static final String CSRF_FIELD = "csrf";
  private static final String VISIT = "devicelogin.visit";

  /** What storing sessions is serialised under, apart from the limits' keys. */
  private static final String SESSIONS_OF = "sessions-of:";

  /**
   * This browser's session, or a new ticket (its cookie set) if it has none: for pages that show
   * forms. Nothing is stored.
   */
  Visit current(Context ctx) {
    Optional<Visit> existing = find(ctx, true);
    if (existing.isPresent()) {
      return existing.get();
    }
    SessionTickets.Issued issued = sessions.newTicket();
    setTicket(ctx, issued);
    return remember(ctx, ticketVisit(issued.ticket()));
  }

  /** This browser's session or ticket if its cookie holds a live one; never starts one. */
  Optional<Visit> existing(Context ctx) {
    return find(ctx, true);
  }

  /**
   * The stored session of a form POST whose CSRF token matches its session or ticket; a ticket's
   * session is stored now. The body is read only if it is a UTF-8 form, as the pages' forms send:
   * Javalin would spool a multipart body to disk without limit, and throw on a charset it does not
   * know.
   *
   * <p>A field named twice is refused too: the handlers read one value per field, and which of two
   * it would be (the right CSRF token or another, approve or deny) is the parser's accident.
   *
   * @throws PageProblem 415 for any other body, 400 for a field named twice, 403 for a missing or
   *     wrong token, 429 when the address has too many anonymous sessions; nothing has been changed
   */
  Visit requireForm(Context ctx) {
    String type = ctx.header("Content-Type");
    if (!FormRequest.isForm(type) || !FormRequest.isUtf8(type)) {
      throw PageProblem.notAForm();
    }
    if (ctx.formParamMap().values().stream().anyMatch(values -> values.size() > 1)) {
      throw PageProblem.repeatedField();
    }
    Optional<Visit> visit = find(ctx, false);
    String token = ctx.formParam(CSRF_FIELD);
    if (visit.isEmpty()
        || token == null
        || !MessageDigest.isEqual(
            token.getBytes(StandardCharsets.UTF_8),
            visit.get().session().csrfToken().getBytes(StandardCharsets.UTF_8))) {
      throw PageProblem.csrf();
    }
    return visit.get().stored() ? visit.get() : store(ctx, visit.get());
  }

  /** Signs the user in: a new session id (against session fixation) in a new cookie. */
  Visit signIn(Context ctx, Visit visit, User user) {
    return signIn(ctx, visit, user, Optional.empty(), Optional.of(BrowserSession.PASSWORD));
  }

  /**
   * Signs the user in as the other {@code signIn}, through upstream {@code idp} (empty for a
   * password) authenticated as {@code amr} says; a session not stored yet is stored first.
   */
  Visit signIn(Context ctx, Visit visit, User user, Optional<String> idp, Optional<String> amr) {
    Visit stored = visit.stored() ? visit : store(ctx, visit);
    BrowserSessions.Opened opened = sessions.signIn(stored.session(), user.id(), idp, amr);
    set(ctx, opened);
    Visit signedIn = new Visit(opened.session(), Optional.of(user));
    ctx.attribute(VISIT, signedIn);
    return signedIn;
  }

  /** Records that the visit's person typed their password again. */
  Visit passwordConfirmed(Context ctx, Visit visit) {
    Visit confirmed = new Visit(sessions.passwordConfirmed(visit.session()), visit.user());
    ctx.attribute(VISIT, confirmed);
    return confirmed;
  }

  void signOut(Context ctx, Visit visit) {
    sessions.end(visit.session());
    ctx.res()
        .addHeader(
            "Set-Cookie",
            cookieName()
                + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : ""));
    ctx.attribute(VISIT, null);
  }

  /** The cookie's name: host-only over HTTPS, where the browser enforces the prefix. */
  String cookieName() {
    return secure ? HOST_ONLY_COOKIE : COOKIE;
  }

  /**
   * The stored session the cookie names, else the live ticket it holds ({@code renew}: signed again
   * when a minute old, so that it lives on while the pages are used).
   */
  private Optional<Visit> find(Context ctx, boolean renew) {
    Visit cached = ctx.attribute(VISIT);
    if (cached != null) {
      return Optional.of(cached);
    }
    String value = ctx.cookie(cookieName());
    // A ticket first: telling one costs no database query.
    Optional<SessionTickets.Ticket> ticket = sessions.ticket(value);
    if (ticket.isEmpty()) {
      Optional<BrowserSession> stored = sessions.find(value);
      Optional<User> user = stored.flatMap(BrowserSession::userId).flatMap(users::find);
      return stored.map(s -> remember(ctx, new Visit(s, user)));
    }
    SessionTickets.Ticket t = ticket.get();
    if (renew) {
      Optional<SessionTickets.Issued> renewed = sessions.renewIfDue(t);
      if (renewed.isPresent()) {
        setTicket(ctx, renewed.get());
        t = renewed.get().ticket();
      }
    }
    return Optional.of(remember(ctx, ticketVisit(t)));
  }

  /**
   * Stores the session of a ticket's first form post, counted by its address group (an IPv6 /64):
   * one group's at a time in this instance, so that a burst of first posts cannot all pass the
   * count of the address's sessions before any is stored.
   */
  private Visit store(Context ctx, Visit ticket) {
    String ip = AddressGroup.of(origins.ip(ctx));
    BrowserSessions.Opened[] opened = new BrowserSessions.Opened[1];
    try {
      AttemptLimit.serialised(
          List.of(SESSIONS_OF + ip),
          () -> opened[0] = sessions.open(ticket.ticket().orElseThrow(), ip));
    } catch (OAuthProblem refused) {
      throw tooManySessions(ctx, refused);
    }
    set(ctx, opened[0]);
    return remember(ctx, new Visit(opened[0].session(), Optional.empty()));
  }

  private PageProblem tooManySessions(Context ctx, OAuthProblem refused) {
    metrics.rateLimited("browser_sessions");
    Duration wait = refused.retryAfter().orElse(Duration.ofMinutes(1));
    ctx.header("Retry-After", Long.toString(wait.toSeconds()));
    Instant now = clock.instant();
    Instant when = now.plus(wait);
    return new PageProblem(
        429,
        "Too many sign-ins from your network",
        List.of(
            "Many sign-ins were started from your network in the last half hour and not finished,"
                + " so no more can start from it for now. Nothing was changed. Try again after "
                + TimeText.clockTime(when, now)
                + " ("
                + TimeText.in(when, now)
                + ")."),
        List.of());
  }

  /** A ticket as a visit: its ref and CSRF token, no user, not stored. */
  private Visit ticketVisit(SessionTickets.Ticket ticket) {
    BrowserSession session =
        new BrowserSession(
            "",
            ticket.ref(),
            Optional.empty(),
            ticket.csrfToken(),
            ticket.bornAt(),
            sessions.endOf(ticket),
            ticket.issuedAt(),
            Optional.empty());
    return new Visit(session, Optional.empty(), Optional.of(ticket));
  }

  private Visit remember(Context ctx, Visit visit) {
    ctx.attribute(VISIT, visit);
    return visit;
  }

  private void set(Context ctx, BrowserSessions.Opened opened) {
    setCookie(ctx, opened.cookie(), opened.session().expiresAt());
  }

  private void setTicket(Context ctx, SessionTickets.Issued issued) {
    setCookie(ctx, issued.cookie(), sessions.endOf(issued.ticket()));
  }

  private void setCookie(Context ctx, Secret value, Instant expiresAt) {
    long maxAge = Math.max(0, Duration.between(clock.instant(), expiresAt).getSeconds());
    ctx.res()
        .addHeader(
            "Set-Cookie",
            cookieName()
                + "="
                + value.revealForTransmission()
                + "; Path=/; Max-Age="
                + maxAge
                + "; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : ""));
  }
}
