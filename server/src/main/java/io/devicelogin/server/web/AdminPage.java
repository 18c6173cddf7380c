package io.devicelogin.server.web;

import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.User;
import io.devicelogin.server.web.Views.Admin;
import io.devicelogin.server.web.Views.AuditRow;
import io.devicelogin.server.web.Views.GrantCard;
import io.devicelogin.server.web.Views.Link;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /admin}, for users with the admin role: every grant and the audit trail, filtered by user
 * ({@code ?user=USERNAME}) and client ({@code ?client=CLIENT_ID}), with revoke; and the pauses of
 * the attempt limits, with lift ({@link AdminPauses}).
 */
final class AdminPage {
  static final String PATH = "/admin";
  static final int LIMIT = 200;

  private AdminPage() {}

  /** GET /admin. */
  static void show(Web web, Context ctx, Visit visit, User user) {
    requireAdmin(web, user);
    if (!AdminReauthentication.recent(web, visit)) {
      String query = ctx.queryString();
      AdminReauthentication.ask(
          web, ctx, visit, 200, query == null ? PATH : PATH + "?" + query, null);
      return;
    }
    String userFilter = filter(ctx.queryParam("user"));
    String clientFilter = filter(ctx.queryParam("client"));
    String userId = null;
    String note = null;
    boolean nothing = false;
    if (userFilter != null) {
      Optional<User> named = web.context.users().findByUsername(userFilter);
      if (named.isEmpty()) {
        note = "There is no user named “" + userFilter + "”.";
        nothing = true;
      } else {
        userId = named.get().id();
      }
    }
    Instant now = web.context.clock().instant();
    Map<String, String> usernames = new HashMap<>();
    List<GrantCard> grants =
        nothing
            ? List.of()
            : web.context.tokens().grants(userId, clientFilter, LIMIT).stream()
                .map(
                    g ->
                        GrantCards.of(
                            g, username(web, usernames, g.userId()), web.context.clients(), now))
                .toList();
    List<AuditRow> audit =
        nothing
            ? List.of()
            : web.context.audit().find(userId, clientFilter, null, LIMIT).stream()
                .map(e -> row(web, usernames, e))
                .toList();
    String notice = "1".equals(ctx.queryParam("revoked")) ? "Grant revoked." : null;
    if ("1".equals(ctx.queryParam("lifted"))) {
      notice = "Pause lifted.";
    }
    web.pages.render(
        ctx,
        200,
        "admin.jte",
        web.frame(visit, "Admin", "admin"),
        new Admin(
            userFilter, clientFilter, note, grants, audit, LIMIT, notice, AdminPauses.rows(web)));
  }

  /** POST /admin/revoke; the password is asked for first if it was not typed recently. */
  static void revoke(Web web, Context ctx) {
    Visit visit = web.cookies.requireForm(ctx);
    User admin = web.signedIn(visit);
    requireAdmin(web, admin);
    StringBuilder back = new StringBuilder(PATH);
    String user = filter(ctx.formParam("user"));
    String client = filter(ctx.formParam("client"));
    if (user != null) {
      back.append("?user=").append(URLEncoder.encode(user, StandardCharsets.UTF_8));
    }
    if (client != null) {
      back.append(user == null ? "?" : "&")
          .append("client=")
          .append(URLEncoder.encode(client, StandardCharsets.UTF_8));
    }
    if (!AdminReauthentication.recent(web, visit)) {
      AdminReauthentication.ask(web, ctx, visit, 403, back.toString(), ctx.formParam("grant"));
      return;
    }
    revoke(web, ctx, admin, ctx.formParam("grant"), back.toString());
  }

  /** Revokes a grant as {@code admin}, then back to {@code back} (this page, filtered). */
  static void revoke(Web web, Context ctx, User admin, String grantId, String back) {
    if (!EnteredCodes.looksLikeId(grantId) || web.context.tokens().findGrant(grantId).isEmpty()) {
      throw PageProblem.of(404, "No such grant", "Nothing was changed.", new Link(PATH, "Admin"));
    }
    web.context
        .tokens()
        .revokeGrant(
            grantId,
            "admin:" + admin.username(),
            "revoked by an administrator",
            web.context.origins().of(ctx));
    int query = back.indexOf('?');
    web.pages.redirect(
        ctx, PATH + "?revoked=1" + (query < 0 ? "" : "&" + back.substring(query + 1)));
  }

  /** Refuses anyone who is no administrator, by the flag or the configuration's "admins". */
  static void requireAdmin(Web web, User user) {
    if (!web.context.administration().isAdmin(user)) {
      throw PageProblem.of(
          403,
          "Administrators only",
          "This page is for administrators. Your own CLI sessions are on the account page.",
          new Link(AccountPage.PATH, "Your CLI sessions"));
    }
  }

  private static String filter(String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    return v.isEmpty() || v.length() > 100 ? null : v;
  }

  private static final String DELETED = "(deleted user)";

  private static String username(Web web, Map<String, String> cache, String userId) {
    if (userId == null) {
      return null;
    }
    return cache.computeIfAbsent(
        userId, id -> web.context.users().find(id).map(AdminPage::shown).orElse(DELETED));
  }

  /** The username, and for an account of an identity provider its upstream and subject there. */
  private static String shown(User user) {
    return user.username() + user.link().map(l -> " (" + l + ")").orElse("");
  }

  /**
   * The account an event concerns; once it is deleted, the upstream and subject the event itself
   * recorded still say who stood behind it (a link never changes, so it is the account's own).
   */
  private static String person(Web web, Map<String, String> cache, AuditEvent e) {
    String name = username(web, cache, e.userId());
    return e.idp() == null || !name.equals(DELETED)
        ? name
        : name + " (" + e.idp() + ":" + e.idpSubject() + ")";
  }

  private static AuditRow row(Web web, Map<String, String> usernames, AuditEvent e) {
    String ua = e.userAgent() == null ? "" : OriginText.userAgent(e.userAgent());
    return new AuditRow(
        TimeText.at(e.at()),
        e.event().name(),
        e.actor() == null ? "" : e.actor(),
        e.userId() == null ? "" : person(web, usernames, e),
        e.clientId() == null ? "" : e.clientId(),
        e.scope() == null ? "" : e.scope(),
        e.ip() == null ? "" : e.ip(),
        ua,
        e.sessionRef() == null
            ? ""
            : e.sessionRef().substring(0, Math.min(8, e.sessionRef().length())),
        e.grantId() == null ? "" : e.grantId().substring(0, Math.min(8, e.grantId().length())),
        e.detail() == null ? "" : e.detail());
  }
}
