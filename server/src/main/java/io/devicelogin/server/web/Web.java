package io.devicelogin.server.web;

import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.policy.RefusalAudit;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.User;
import io.devicelogin.server.web.Views.Frame;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/** What the page handlers share: the server's services, the templates, sessions and limits. */
final class Web {

  final ServerContext context;
  final Pages pages;
  final SessionCookies cookies;
  final AttemptLimit codeEntry;
  final AttemptLimit signIn;

  /** Sign-ins of any outcome: each costs a password hash, a right password too. */
  final AttemptLimit signIns;

  final EnteredCodes entered;

  /** Refusals of the pages' limits, audited once per key and minute. */
  final RefusalAudit refusals;

  Web(ServerContext context, Pages pages) {
    this.context = context;
    this.pages = pages;
    this.cookies =
        new SessionCookies(
            context.sessions(),
            context.users(),
            context.origins(),
            context.metrics(),
            context.clock(),
            context.secureCookies());
    this.codeEntry =
        new AttemptLimit(
            context.audit(),
            context.clock(),
            "code entry",
            Set.of(AuditEvent.Type.USER_CODE_WRONG),
            Defaults.WRONG_CODES_ALLOWED,
            Defaults.WRONG_CODES_ALLOWED_PER_ADDRESS,
            Defaults.WRONG_CODE_WINDOW);
    this.signIn =
        new AttemptLimit(
            context.audit(),
            context.clock(),
            "failed sign-ins",
            Set.of(AuditEvent.Type.SIGN_IN_FAILED),
            Defaults.SIGN_IN_FAILURES_ALLOWED,
            Defaults.SIGN_IN_FAILURES_ALLOWED,
            Defaults.SIGN_IN_WINDOW);
    this.signIns =
        new AttemptLimit(
            context.audit(),
            context.clock(),
            "sign-ins",
            Set.of(AuditEvent.Type.SIGNED_IN, AuditEvent.Type.SIGN_IN_FAILED),
            Defaults.SIGN_INS_ALLOWED,
            Defaults.SIGN_INS_ALLOWED,
            Defaults.SIGN_IN_WINDOW);
    this.entered = new EnteredCodes(context.audit());
    this.refusals = new RefusalAudit(context.limiter(), context.audit());
  }

  Frame frame(Visit visit, String title, String section) {
    Optional<User> user = visit.user();
    return new Frame(
        title,
        pages.stylesheet(),
        user.map(User::username).orElse(null),
        user.map(u -> context.administration().isAdmin(u)).orElse(false),
        visit.session().csrfToken(),
        section);
  }

  /** The frame of an error page: the session if the browser has one, but never a new one. */
  Frame problemFrame(Context ctx, String title) {
    Optional<Visit> visit = Optional.empty();
    try {
      visit = cookies.existing(ctx);
    } catch (RuntimeException e) {
      // The error may be the database itself: show the page without the person's name.
    }
    return visit
        .map(v -> frame(v, title, null))
        .orElseGet(() -> new Frame(title, pages.stylesheet(), null, false, null, null));
  }

  /** The signed-in, active user; a redirect to sign-in (returning to {@code next}) if none. */
  Optional<User> signedInOrRedirect(Context ctx, Visit visit, String next) {
    if (visit.user().isEmpty()) {
      pages.redirect(ctx, "/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
      return Optional.empty();
    }
    User user = visit.user().get();
    if (!user.isActive()) {
      throw PageProblem.inactiveAccount(user);
    }
    return Optional.of(user);
  }

  /** The signed-in, active user of a form POST. */
  User signedIn(Visit visit) {
    User user =
        visit
            .user()
            .orElseThrow(
                () ->
                    PageProblem.of(
                        403,
                        "Please sign in first",
                        "Your session has ended. Nothing was changed. Sign in and try again.",
                        new Views.Link("/login", "Sign in")));
    if (!user.isActive()) {
      throw PageProblem.inactiveAccount(user);
    }
    return user;
  }
}
