package io.devicelogin.server.web;

import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.User;
import io.devicelogin.server.web.Views.ConfirmPassword;
import io.devicelogin.server.web.Views.UpstreamButton;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An administrator's password, asked for again when it was last typed in this session longer ago
 * than {@link Defaults#ADMIN_REAUTHENTICATION}: a browser left signed in is not enough to act as an
 * administrator. The check is sign-in's: its limits per session, address and account, its
 * serialisation and its audit rows, so that it is no way around them. An administrator from an
 * identity provider signs in there again, the provider asked not to reuse its own session.
 */
final class AdminReauthentication {
  static final String PATH = AdminPage.PATH + "/confirm";

  private AdminReauthentication() {}

  /** Whether the visit's password was typed recently enough for an administrator's action. */
  static boolean recent(Web web, Visit visit) {
    return web.context
        .sessions()
        .authenticatedWithin(visit.session(), Defaults.ADMIN_REAUTHENTICATION);
  }

  /**
   * Shows the form that asks for the password, going on to {@code next} (a path under /admin) or,
   * with {@code grant}, to revoking it.
   */
  static void ask(Web web, Context ctx, Visit visit, int status, String next, String grant) {
    render(web, ctx, visit, status, next, grant, null);
  }

  /** POST /admin/confirm. */
  static void submit(Web web, Context ctx) {
    Visit visit = web.cookies.requireForm(ctx);
    User admin = web.signedIn(visit);
    AdminPage.requireAdmin(web, admin);
    Origin origin = web.context.origins().of(ctx);
    SignInPages.serialised(
        visit, origin, admin.username(), () -> submit(web, ctx, visit, admin, origin));
  }

  private static void submit(Web web, Context ctx, Visit visit, User admin, Origin origin) {
    String next = LocalPath.orElse(ctx.formParam("next"), AdminPage.PATH);
    if (!next.equals(AdminPage.PATH)
        && !next.startsWith(AdminPage.PATH + "?")
        && !next.equals(AdminUsers.PATH)
        && !next.startsWith(AdminUsers.PATH + "?")) {
      next = AdminPage.PATH;
    }
    String grant = ctx.formParam("grant");
    String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
    Optional<User> user =
        SignInPages.checkPassword(web, ctx, visit, origin, admin.username(), password);
    if (user.filter(u -> u.id().equals(admin.id())).isEmpty()) {
      web.context
          .audit()
          .record(
              visit
                  .event(AuditEvent.Type.SIGN_IN_FAILED, origin)
                  .detail("wrong password when asked again for /admin"));
      render(web, ctx, visit, 401, next, grant, "Wrong password. Nothing was changed.");
      return;
    }
    Visit confirmed = web.cookies.passwordConfirmed(ctx, visit);
    web.context
        .audit()
        .record(
            confirmed
                .event(AuditEvent.Type.SIGNED_IN, origin)
                .detail("password confirmed for /admin"));
    if (grant != null) {
      AdminPage.revoke(web, ctx, admin, grant, next);
    } else {
      web.pages.redirect(ctx, next);
    }
  }

  /**
   * For an administrator linked to an upstream: the button that signs in there again and comes back
   * to {@code next}; null for an account with a password. A revocation pending is asked again
   * after.
   */
  private static UpstreamButton signInAgain(Web web, Visit visit, String next) {
    return visit
        .user()
        .flatMap(User::link)
        .flatMap(link -> web.context.upstreams().methods().upstream(link.upstream()))
        .map(
            u ->
                new UpstreamButton(
                    UpstreamPages.startPath(u.name())
                        + "?"
                        + UpstreamPages.AGAIN
                        + "&next="
                        + URLEncoder.encode(next, StandardCharsets.UTF_8),
                    u.displayName()))
        .orElse(null);
  }

  private static void render(
      Web web, Context ctx, Visit visit, int status, String next, String grant, String error) {
    web.pages.render(
        ctx,
        status,
        "confirm.jte",
        web.frame(visit, "Confirm your password", "admin"),
        new ConfirmPassword(
            next,
            grant,
            Defaults.ADMIN_REAUTHENTICATION.toMinutes() + " minutes",
            grant == null
                ? ""
                : "The grant is revoked once you confirm; until then nothing is changed.",
            error,
            signInAgain(web, visit, next)));
  }
}
