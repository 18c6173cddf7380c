package io.devicelogin.server.web;

import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.AuditEvent.Who;
import io.devicelogin.server.store.User;
import io.devicelogin.server.web.Views.Link;
import io.devicelogin.server.web.Views.PauseRow;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pauses of the attempt limits on {@code /admin}: which browser sessions and address groups are
 * paused, by which limit, until when; and {@code POST /admin/lift}, which lifts one. Lifting is an
 * audit event ({@code PAUSE_LIFTED}) after which the key's earlier attempts no longer count.
 */
final class AdminPauses {
  static final String LIFT = AdminPage.PATH + "/lift";

  /** At most this many paused keys of each kind per limit are listed. */
  static final int LIMIT = 50;

  private AdminPauses() {}

  /** The pauses in force now, as the admin page lists them. */
  static List<PauseRow> rows(Web web) {
    Instant now = web.context.clock().instant();
    List<PauseRow> rows = new ArrayList<>();
    for (AttemptLimit limit : limits(web)) {
      for (AttemptLimit.Pause p : limit.pauses(LIMIT)) {
        rows.add(
            new PauseRow(
                p.limit(),
                kind(p.who()),
                p.key(),
                p.who() == Who.SESSION ? "session " + shortRef(p.key()) : p.key(),
                TimeText.clockTime(p.until(), now),
                TimeText.in(p.until(), now)));
      }
    }
    return rows;
  }

  /** POST /admin/lift: lifts the pause of one session or address group. */
  static void lift(Web web, Context ctx) {
    Visit visit = web.cookies.requireForm(ctx);
    User admin = web.signedIn(visit);
    AdminPage.requireAdmin(web, admin);
    if (!AdminReauthentication.recent(web, visit)) {
      AdminReauthentication.ask(web, ctx, visit, 403, AdminPage.PATH, null);
      return;
    }
    Optional<Who> who = who(ctx.formParam("kind"));
    String key = ctx.formParam("key");
    boolean paused =
        who.isPresent()
            && key != null
            && key.length() <= 64
            && limits(web).stream().anyMatch(l -> l.paused(who.get(), key).isPresent());
    if (!paused) {
      throw PageProblem.of(
          404,
          "No such pause",
          "That session or address is not paused (any more). Nothing was changed.",
          new Link(AdminPage.PATH, "Admin"));
    }
    AuditEvent.Builder lifted =
        who.get() == Who.SESSION
            ? AuditEvent.pauseLiftedForSession(admin.username(), key)
            : AuditEvent.pauseLiftedForAddressGroup(admin.username(), key);
    web.context
        .audit()
        .record(
            lifted.detail(
                "pause lifted by an administrator from "
                    + web.context.origins().ip(ctx)
                    + "; earlier attempts no longer count"));
    web.pages.redirect(ctx, AdminPage.PATH + "?lifted=1");
  }

  private static List<AttemptLimit> limits(Web web) {
    return List.of(web.codeEntry, web.signIn, web.signIns);
  }

  private static String kind(Who who) {
    return who == Who.SESSION ? "session" : "address";
  }

  private static Optional<Who> who(String kind) {
    if ("session".equals(kind)) {
      return Optional.of(Who.SESSION);
    }
    if ("address".equals(kind)) {
      return Optional.of(Who.ADDRESS_GROUP);
    }
    return Optional.empty();
  }

  private static String shortRef(String ref) {
    return ref.substring(0, Math.min(8, ref.length()));
  }
}
