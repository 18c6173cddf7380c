package io.devicelogin.server.web;

import io.devicelogin.client.Secret;
import io.devicelogin.server.identity.BrowserSessions;
import io.devicelogin.server.identity.UserService;
import io.devicelogin.server.protocol.FormRequest;
import io.devicelogin.server.store.BrowserSession;
import io.devicelogin.server.store.User;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The session cookie and the CSRF check. The cookie is {@code HttpOnly} (no script may read it;
 * there is none anyway), {@code SameSite=Lax} (another site's form POST arrives without it), {@code
 * Path=/}, and when the server is reached over HTTPS {@code Secure} and named {@code
 * __Host-dl_session}: a browser takes a {@code __Host-} cookie only from this very host, so a
 * sibling subdomain cannot plant a session of its choosing (RFC 6265bis §4.1.3.2).
 */
record SessionCookies(BrowserSessions sessions, UserService users, Clock clock, boolean secure) {
  static final String COOKIE = "dl_session";
  static final String HOST_ONLY_COOKIE = "__Host-" + COOKIE;
  static final String CSRF_FIELD = "csrf";
  private static final String VISIT = "devicelogin.visit";

  /**
   * This browser's session, started (and its cookie set) if it has none: for pages that show forms.
   */
  Visit current(Context ctx) {
    Optional<Visit> existing = existing(ctx);
    if (existing.isPresent()) {
      return existing.get();
    }
    BrowserSessions.Opened opened = sessions.open();
    set(ctx, opened);
    return remember(ctx, opened.session());
  }

  /** This browser's session if its cookie names a live one; never starts one. */
  Optional<Visit> existing(Context ctx) {
    Visit cached = ctx.attribute(VISIT);
    if (cached != null) {
      return Optional.of(cached);
    }
    return sessions.find(ctx.cookie(cookieName())).map(s -> remember(ctx, s));
  }

  /**
   * The session of a form POST whose CSRF token matches it. The body is read only if it is a UTF-8
   * form, as the pages' forms send: Javalin would spool a multipart body to disk without limit, and
   * throw on a charset it does not know.
   *
   * <p>A field named twice is refused too: the handlers read one value per field, and which of two
   * it would be (the right CSRF token or another, approve or deny) is the parser's accident.
   *
   * @throws PageProblem 415 for any other body, 400 for a field named twice, 403 for a missing or
   *     wrong token; nothing has been changed
   */
  Visit requireForm(Context ctx) {
    String type = ctx.header("Content-Type");
    if (!FormRequest.isForm(type) || !FormRequest.isUtf8(type)) {
      throw PageProblem.notAForm();
    }
    if (ctx.formParamMap().values().stream().anyMatch(values -> values.size() > 1)) {
      throw PageProblem.repeatedField();
    }
    Optional<Visit> visit = existing(ctx);
    String token = ctx.formParam(CSRF_FIELD);
    if (visit.isEmpty()
        || token == null
        || !MessageDigest.isEqual(
            token.getBytes(StandardCharsets.UTF_8),
            visit.get().session().csrfToken().getBytes(StandardCharsets.UTF_8))) {
      throw PageProblem.csrf();
    }
    return visit.get();
  }

  /** Signs the user in: a new session id (against session fixation) in a new cookie. */
  Visit signIn(Context ctx, Visit visit, User user) {
    BrowserSessions.Opened opened = sessions.signIn(visit.session(), user.id());
    set(ctx, opened);
    Visit signedIn = new Visit(opened.session(), Optional.of(user));
    ctx.attribute(VISIT, signedIn);
    return signedIn;
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

  private Visit remember(Context ctx, BrowserSession session) {
    Optional<User> user = session.userId().flatMap(users::find);
    Visit visit = new Visit(session, user);
    ctx.attribute(VISIT, visit);
    return visit;
  }

  private void set(Context ctx, BrowserSessions.Opened opened) {
    long maxAge =
        Math.max(0, Duration.between(clock.instant(), opened.session().expiresAt()).getSeconds());
    Secret value = opened.cookie();
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
