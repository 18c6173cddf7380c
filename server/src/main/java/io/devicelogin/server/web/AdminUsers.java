package io.devicelogin.server.web;

import io.devicelogin.server.admin.AdminRefusal;
import io.devicelogin.server.admin.Administrator;
import io.devicelogin.server.admin.UserAdministration;
import io.devicelogin.server.admin.UserAdministration.Account;
import io.devicelogin.server.store.User;
import io.devicelogin.server.web.Views.Link;
import io.devicelogin.server.web.Views.UserRow;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /admin/users}: the accounts, searched by username, name, e-mail or upstream subject, and
 * {@code POST /admin/users/change}, which disables, enables, unlocks, or makes or unmakes an
 * administrator through {@link UserAdministration}, the service {@code devicelogin server users}
 * calls too. Administrators only, with the password asked again as on /admin; each change redirects
 * back to the list (post, redirect, get).
 */
final class AdminUsers {
  static final String PATH = AdminPage.PATH + "/users";
  static final String CHANGE = PATH + "/change";

  /** What each change says once done, by the form's {@code change}. */
  private static final Map<String, String> DONE =
      Map.of(
          "disable", "disabled; its grants are revoked",
          "enable", "enabled",
          "unlock", "unlocked: its earlier failed sign-ins no longer delay it",
          "make-admin", "is an administrator",
          "unmake-admin", "is no longer an administrator");

  private AdminUsers() {}

  /** GET /admin/users. */
  static void show(Web web, Context ctx, Visit visit, User user) {
    AdminPage.requireAdmin(web, user);
    if (!AdminReauthentication.recent(web, visit)) {
      String query = ctx.queryString();
      AdminReauthentication.ask(
          web, ctx, visit, 200, query == null ? PATH : PATH + "?" + query, null);
      return;
    }
    String search = Optional.ofNullable(ctx.queryParam("q")).map(String::strip).orElse("");
    if (search.length() > 100) {
      search = search.substring(0, 100);
    }
    List<UserRow> rows =
        web.context.administration().list(Optional.of(search)).stream()
            .map(AdminUsers::row)
            .toList();
    web.pages.render(
        ctx,
        200,
        "admin_users.jte",
        web.frame(visit, "People", "admin"),
        new Views.AdminUsers(
            search,
            rows,
            notice(web, ctx.queryParam("done"), ctx.queryParam("who")),
            UserAdministration.LIST_LIMIT));
  }

  /** POST /admin/users/change: one change to one account. */
  static void change(Web web, Context ctx) {
    Visit visit = web.cookies.requireForm(ctx);
    User admin = web.signedIn(visit);
    AdminPage.requireAdmin(web, admin);
    String search = Optional.ofNullable(ctx.formParam("q")).map(String::strip).orElse("");
    String back = search.isEmpty() ? PATH : PATH + "?q=" + encode(search);
    if (!AdminReauthentication.recent(web, visit)) {
      AdminReauthentication.ask(web, ctx, visit, 403, back, null);
      return;
    }
    String change = Optional.ofNullable(ctx.formParam("change")).orElse("");
    String username = Optional.ofNullable(ctx.formParam("username")).orElse("");
    if (!DONE.containsKey(change)) {
      throw PageProblem.of(400, "No such change", "Nothing was changed.", new Link(PATH, "People"));
    }
    UserAdministration accounts = web.context.administration();
    Administrator by = Administrator.onThePages(admin.username(), web.context.origins().of(ctx));
    try {
      switch (change) {
        case "disable" -> accounts.disable(username, by);
        case "enable" -> accounts.enable(username, by);
        case "unlock" -> accounts.unlock(username, by);
        case "make-admin" -> accounts.setAdmin(username, true, by);
        default -> accounts.setAdmin(username, false, by);
      }
    } catch (AdminRefusal refused) {
      throw refusal(refused);
    }
    web.pages.redirect(
        ctx,
        PATH
            + "?done="
            + change
            + "&who="
            + encode(username)
            + (search.isEmpty() ? "" : "&q=" + encode(search)));
  }

  private static PageProblem refusal(AdminRefusal refused) {
    String sentence = refused.getMessage();
    String text =
        Character.toUpperCase(sentence.charAt(0))
            + sentence.substring(1)
            + ". Nothing was changed.";
    return switch (refused.kind()) {
      case NO_SUCH_ACCOUNT ->
          PageProblem.of(404, "No such account", text, new Link(PATH, "People"));
      case LAST_ADMIN, NAMED_IN_CONFIG ->
          PageProblem.of(409, "This would leave no administrator", text, new Link(PATH, "People"));
      default -> PageProblem.of(400, "This change can't be made", text, new Link(PATH, "People"));
    };
  }

  /**
   * What the redirect after a change says; only for an account that exists, so that a crafted link
   * cannot put other words on the page.
   */
  private static String notice(Web web, String change, String who) {
    if (change == null
        || who == null
        || !DONE.containsKey(change)
        || web.context.users().findByUsername(who).isEmpty()) {
      return null;
    }
    return who + " " + DONE.get(change) + ".";
  }

  private static UserRow row(Account a) {
    User u = a.user();
    return new UserRow(
        u.username(),
        u.displayName(),
        u.email().orElse(""),
        u.status().name().toLowerCase(Locale.ROOT),
        a.namedInConfig() ? "yes (config)" : a.admin() ? "yes" : "no",
        u.admin(),
        u.link().map(User.Link::toString).orElse(""),
        u.lastSignInAt().map(TimeText::at).orElse("never"),
        a.activeGrants(),
        AdminPage.PATH + "?user=" + encode(u.username()));
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
