package io.devicelogin.server.web;

import io.devicelogin.client.Secret;
import io.devicelogin.server.policy.SignInMethods;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.User;
import io.devicelogin.server.web.Views.Link;
import io.devicelogin.server.web.Views.Login;
import io.devicelogin.server.web.Views.UpstreamButton;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /login} and {@code /logout}. A failed sign-in never says whether the name or the password
 * was wrong; only the right password reveals that an account is disabled or locked. The audit trail
 * records who tried (when the name is an account) but never what was typed as the password, and
 * never a typed name that is not an account (it may be a password typed in the wrong field).
 *
 * <p>Limits: failed sign-ins, and sign-ins of any outcome, per browser session and per address
 * (paused until the window passes); failed sign-ins per account (slowed, never locked, see {@link
 * io.devicelogin.server.identity.SignInDelay}); and how many passwords are hashed at once (503).
 */
final class SignInPages {
  static final String DEFAULT_NEXT = "/account";
  private static final int MAX_USERNAME = 100;
  private static final int MAX_PASSWORD = 1024;

  /** What a typed name is serialised under, apart from sessions and addresses. */
  private static final String ACCOUNT = "account:";

  private SignInPages() {}

  /** GET /login?next=PATH. */
  static void form(Web web, Context ctx) {
    Visit visit = web.cookies.current(ctx);
    String next = LocalPath.orElse(ctx.queryParam("next"), DEFAULT_NEXT);
    if (visit.user().filter(User::isActive).isPresent()) {
      web.pages.redirect(ctx, next);
      return;
    }
    web.pages.render(
        ctx, 200, "login.jte", web.frame(visit, "Sign in", "login"), login(web, null, next, null));
  }

  /**
   * The sign-in page's view: the upstreams' buttons, each returning to {@code next}, and the form.
   */
  static Login login(Web web, String username, String next, String error) {
    SignInMethods methods = web.context.upstreams().methods();
    List<UpstreamButton> buttons =
        methods.upstreams().stream()
            .map(
                u ->
                    new UpstreamButton(
                        UpstreamPages.startPath(u.name())
                            + "?next="
                            + URLEncoder.encode(next, StandardCharsets.UTF_8),
                        u.displayName()))
            .toList();
    return new Login(
        username,
        next,
        error,
        next.startsWith(VerificationPages.CONSENT),
        buttons,
        methods.localAccounts());
  }

  /**
   * POST /login. The check of the limits, the password check and the audit row that the limits
   * count are one step per browser session, address and typed name: without it, a burst of parallel
   * attempts would all pass the check before any of their failures is recorded.
   */
  static void submit(Web web, Context ctx) {
    // Before the form is read: a refusal that stores no session either.
    if (!web.context.upstreams().methods().localAccounts()) {
      throw PageProblem.of(
          403,
          "Passwords are not used here",
          "This server signs people in only through their organisation's identity provider, so"
              + " the password was not checked. Nothing was changed.",
          new Link("/login", "Sign in"));
    }
    Visit visit = web.cookies.requireForm(ctx);
    Origin origin = web.context.origins().of(ctx);
    String username = Optional.ofNullable(ctx.formParam("username")).map(String::trim).orElse("");
    serialised(visit, origin, username, () -> submit(web, ctx, visit, origin, username));
  }

  /**
   * Runs a password step (check the limits, check the password, record the outcome) one at a time
   * per browser session, address group and typed name, in this instance.
   */
  static void serialised(Visit visit, Origin origin, String username, Runnable step) {
    AttemptLimit.serialised(
        List.of(visit.ref(), String.valueOf(origin.addressGroup()), ACCOUNT + username), step);
  }

  /**
   * The account whose password this is, if it is; refused first (429) while the session or address
   * is paused, and with a 429 or 503 page when the password cannot be checked now. Sign-in and the
   * administrator's confirmation both go through here, so both count alike.
   */
  static Optional<User> checkPassword(
      Web web, Context ctx, Visit visit, Origin origin, String username, String password) {
    refuseIfPaused(
        web,
        ctx,
        web.signIn.check(visit.ref(), origin.addressGroup()),
        "Too many failed sign-ins",
        "sign_in");
    refuseIfPaused(
        web,
        ctx,
        web.signIns.check(visit.ref(), origin.addressGroup()),
        "Too many sign-ins",
        "sign_ins");
    if (username.isEmpty()
        || username.length() > MAX_USERNAME
        || password.isEmpty()
        || password.length() > MAX_PASSWORD) {
      return Optional.empty();
    }
    try {
      return web.context.users().authenticate(username, Secret.of(password));
    } catch (OAuthProblem refused) {
      throw notNow(web, ctx, refused);
    }
  }

  private static void submit(Web web, Context ctx, Visit visit, Origin origin, String username) {
    String next = LocalPath.orElse(ctx.formParam("next"), DEFAULT_NEXT);
    String password = Optional.ofNullable(ctx.formParam("password")).orElse("");

    Optional<User> user = checkPassword(web, ctx, visit, origin, username, password);
    if (user.isEmpty()) {
      Optional<User> named =
          username.length() <= MAX_USERNAME
              ? web.context.users().findByUsername(username)
              : Optional.empty();
      web.context
          .audit()
          .record(
              AuditEvent.inSession(AuditEvent.Type.SIGN_IN_FAILED, named, origin, visit.ref())
                  .detail(named.isPresent() ? "wrong password" : "no such username"));
      web.pages.render(
          ctx,
          401,
          "login.jte",
          web.frame(visit, "Sign in", "login"),
          login(
              web,
              username.length() <= MAX_USERNAME ? username : null,
              next,
              "Wrong username or password."));
      return;
    }
    User u = user.get();
    if (!u.isActive()) {
      web.context
          .audit()
          .record(
              AuditEvent.inSession(
                      AuditEvent.Type.SIGN_IN_FAILED, Optional.of(u), origin, visit.ref())
                  .detail("account " + u.status().name().toLowerCase(Locale.ROOT)));
      throw PageProblem.inactiveAccount(u);
    }
    Visit signedIn = web.cookies.signIn(ctx, visit, u);
    web.context
        .audit()
        .record(
            AuditEvent.inSession(
                AuditEvent.Type.SIGNED_IN, Optional.of(u), origin, signedIn.ref()));
    web.pages.redirect(ctx, next);
  }

  static void refuseIfPaused(
      Web web, Context ctx, AttemptLimit.State limit, String heading, String metric) {
    if (!limit.locked()) {
      return;
    }
    web.context.metrics().rateLimited(metric);
    Instant now = web.context.clock().instant();
    Instant until = limit.lockedUntil().orElseThrow();
    ctx.header("Retry-After", Long.toString(limit.retryAfterSeconds(now)));
    throw new PageProblem(
        429,
        heading,
        List.of(
            "To protect the accounts on this server, signing in from this browser and network is paused. "
                + tryAgain(until, now)),
        List.of());
  }

  /**
   * The page for a password that was not checked now: the account waits after failed sign-ins
   * (429), or every hashing slot is taken (503). Either says when to try again.
   */
  static PageProblem notNow(Web web, Context ctx, OAuthProblem refused) {
    Duration wait = refused.retryAfter().orElse(Duration.ofSeconds(1));
    ctx.header("Retry-After", Long.toString(wait.toSeconds()));
    Instant now = web.context.clock().instant();
    Instant when = now.plus(wait);
    if (refused.status() == 503) {
      web.context.metrics().rateLimited("password_hashing");
      return new PageProblem(
          503,
          "The server is busy",
          List.of(
              "Too many sign-ins are being checked at this moment, so yours was not. Nothing was"
                  + " changed. Try again "
                  + TimeText.in(when, now)
                  + "."),
          List.of());
    }
    web.context.metrics().rateLimited("sign_in_account");
    return new PageProblem(
        refused.status(),
        "Sign-ins to this account are slowed down",
        List.of(
            "After several wrong passwords, each next sign-in to this account waits a little"
                + " longer, so this password was not checked. "
                + tryAgain(when, now)
                + " The account is not locked: the wait ends on its own."),
        List.of());
  }

  /** "Try again after 00:15 UTC (in 15 min)." */
  private static String tryAgain(Instant when, Instant now) {
    return "Try again after "
        + TimeText.clockTime(when, now)
        + " ("
        + TimeText.in(when, now)
        + ").";
  }

  /** POST /logout. */
  static void logout(Web web, Context ctx) {
    Visit visit = web.cookies.requireForm(ctx);
    web.cookies.signOut(ctx, visit);
    web.pages.message(
        ctx,
        200,
        new Views.Frame("Signed out", web.pages.stylesheet(), null, false, null, null),
        "You are signed out",
        List.of("You can close this page."),
        List.of(new Link("/login", "Sign in again"), new Link("/device", "Enter a code")));
  }
}
