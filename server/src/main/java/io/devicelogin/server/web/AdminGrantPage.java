package io.devicelogin.server.web;

import io.devicelogin.server.store.Grant;
import io.devicelogin.server.store.User;
import io.devicelogin.server.web.Views.AdminGrant;
import io.devicelogin.server.web.Views.Link;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /admin/grants/{id}}, for administrators: from a token's grant id ({@code gid}) to the
 * person behind it: the account and its upstream link, how and when they signed in, where they
 * approved from and with which browser, and where the CLI asked from, with which user agent and
 * device name. {@code /admin/grants?id=} is the search box's way there.
 */
final class AdminGrantPage {
  static final String PATH = AdminPage.PATH + "/grants";

  private AdminGrantPage() {}

  /** GET /admin/grants?id=ID: on to the grant's page. */
  static void find(Web web, Context ctx) {
    String id = ctx.queryParam("id");
    String trimmed = id == null ? "" : id.trim();
    web.pages.redirect(
        ctx,
        trimmed.isEmpty()
            ? AdminPage.PATH
            : PATH + "/" + URLEncoder.encode(trimmed, StandardCharsets.UTF_8));
  }

  /** GET /admin/grants/{id}. */
  static void show(Web web, Context ctx) {
    Visit visit = web.cookies.current(ctx);
    String id = ctx.pathParam("id");
    String here = PATH + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    Optional<User> signedIn = web.signedInOrRedirect(ctx, visit, here);
    if (signedIn.isEmpty()) {
      return;
    }
    AdminPage.requireAdmin(web, signedIn.get());
    if (!AdminReauthentication.recent(web, visit)) {
      AdminReauthentication.ask(web, ctx, visit, 200, here, null);
      return;
    }
    Grant grant =
        Optional.of(id)
            .filter(EnteredCodes::looksLikeId)
            .flatMap(web.context.tokens()::findGrant)
            .orElseThrow(
                () ->
                    PageProblem.of(
                        404,
                        "No such grant",
                        "No grant has this id. A token's grant id is its gid claim, and"
                            + " introspection returns it too.",
                        new Link(AdminPage.PATH, "Admin")));
    Optional<User> approver = web.context.users().find(grant.userId());
    String account =
        approver
            .map(u -> u.username() + u.link().map(l -> " · " + l).orElse(""))
            .orElse("(deleted account " + grant.userId() + ")");
    String status = approver.map(u -> u.status().name().toLowerCase(Locale.ROOT)).orElse("deleted");
    String signIn =
        (grant.idp() == null
                ? "a password of this server"
                : grant.idp()
                    + (grant.idpSubject() == null ? "" : ", subject " + grant.idpSubject()))
            + (grant.amr().isEmpty() ? "" : " (amr " + String.join(" ", grant.amr()) + ")");
    web.pages.render(
        ctx,
        200,
        "admin-grant.jte",
        web.frame(visit, "Grant", "admin"),
        new AdminGrant(
            GrantCards.of(
                grant,
                approver.map(User::username).orElse(null),
                web.context.clients(),
                web.context.clock().instant()),
            account,
            status,
            approver.flatMap(User::email).orElse(null),
            signIn,
            grant.authTime() == null ? null : TimeText.at(grant.authTime()),
            grant.deviceAuthorizationId()));
  }
}
