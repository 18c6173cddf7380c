package io.devicelogin.server.web;

import io.devicelogin.server.store.Grant;
import io.devicelogin.server.store.User;
import io.devicelogin.server.web.Views.Account;
import io.devicelogin.server.web.Views.GrantCard;
import io.devicelogin.server.web.Views.Link;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@code /account}, "Your CLI sessions": the signed-in person's grants, each revocable. */
final class AccountPage {
  static final String PATH = "/account";

  private AccountPage() {}

  /** GET /account. */
  static void show(Web web, Context ctx, Visit visit, User user) {
    Instant now = web.context.clock().instant();
    List<GrantCard> cards =
        web.context.tokens().grantsOf(user.id()).stream()
            .map(g -> GrantCards.of(g, user.username(), web.context.clients(), now))
            .toList();
    String notice =
        "1".equals(ctx.queryParam("revoked"))
            ? "Access revoked. That program can no longer act as you; it will ask you to sign in again."
            : null;
    web.pages.render(
        ctx,
        200,
        "account.jte",
        web.frame(visit, "Your CLI sessions", "account"),
        new Account(user.username(), cards, notice, signedInWith(web, user)));
  }

  /** "Corp SSO as 00u1ab…" for an account linked to an upstream; null for a local one. */
  static String signedInWith(Web web, User user) {
    return user.link()
        .map(
            l ->
                web.context
                        .upstreams()
                        .methods()
                        .upstream(l.upstream())
                        .map(u -> u.displayName())
                        .orElse(l.upstream())
                    + " as "
                    + l.subject())
        .orElse(null);
  }

  /** POST /account/revoke: only the person's own grants. */
  static void revoke(Web web, Context ctx) {
    Visit visit = web.cookies.requireForm(ctx);
    User user = web.signedIn(visit);
    String grantId = ctx.formParam("grant");
    Optional<Grant> grant =
        EnteredCodes.looksLikeId(grantId)
            ? web.context.tokens().findGrant(grantId).filter(g -> g.userId().equals(user.id()))
            : Optional.empty();
    if (grant.isEmpty()) {
      throw PageProblem.of(
          404,
          "No such session",
          "That CLI session is not one of yours, or no longer exists. Nothing was changed.",
          new Link(PATH, "Your CLI sessions"));
    }
    web.context
        .tokens()
        .revokeGrant(
            grant.get().id(),
            "user:" + user.username(),
            "revoked on the account page",
            web.context.origins().of(ctx));
    web.pages.redirect(ctx, PATH + "?revoked=1");
  }
}
