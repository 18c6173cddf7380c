package io.devicelogin.server.web;

import io.devicelogin.client.Secret;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.User;
import io.devicelogin.server.web.Views.Link;
import io.devicelogin.server.web.Views.Login;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /login} and {@code /logout}. A failed sign-in never says whether the name or the password
 * was wrong; only the right password reveals that an account is disabled or locked. The audit trail
 * records who tried (when the name is an account) but never what was typed as the password, and
 * never a typed name that is not an account (it may be a password typed in the wrong field).
 */
final class SignInPages {
  static final String DEFAULT_NEXT = "/account";
  private static final int MAX_USERNAME = 100;
  private static final int MAX_PASSWORD = 1024;

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
        ctx,
        200,
        "login.jte",
        web.frame(visit, "Sign in", "login"),
        new Login(null, next, null, next.startsWith(VerificationPages.CONSENT)));
  }

  /** POST /login. */
  static void submit(Web web, Context ctx) {
    Visit visit = web.cookies.requireForm(ctx);
    Origin origin = web.context.origins().of(ctx);
    String next = LocalPath.orElse(ctx.formParam("next"), DEFAULT_NEXT);
    String username = Optional.ofNullable(ctx.formParam("username")).map(String::trim).orElse("");
    String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
    boolean continuing = next.startsWith(VerificationPages.CONSENT);

    AttemptLimit.State limit = web.signIn.check(visit.ref(), origin.ip());
    if (limit.locked()) {
      web.context.metrics().rateLimited("sign_in");
      Instant now = web.context.clock().instant();
      Instant until = limit.lockedUntil().orElseThrow();
      ctx.header("Retry-After", Long.toString(limit.retryAfterSeconds(now)));
      throw new PageProblem(
          429,
          "Too many failed sign-ins",
          List.of(
              "To protect the accounts on this server, signing in from this browser and network is paused."
                  + " Try again after "
                  + TimeText.clockTime(until, now)
                  + " ("
                  + TimeText.in(until, now)
                  + ")."),
          List.of());
    }

    Optional<User> user = Optional.empty();
    if (!username.isEmpty()
        && username.length() <= MAX_USERNAME
        && !password.isEmpty()
        && password.length() <= MAX_PASSWORD) {
      user = web.context.users().authenticate(username, Secret.of(password));
    }
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
          new Login(
              username.length() <= MAX_USERNAME ? username : null,
              next,
              "Wrong username or password.",
              continuing));
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
