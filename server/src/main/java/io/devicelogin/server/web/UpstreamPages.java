package io.devicelogin.server.web;

import io.devicelogin.client.wire.OAuthError;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.User;
import io.devicelogin.server.upstream.UpstreamSignIn;
import io.devicelogin.server.web.Views.Link;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /login/{name}}, "Sign in with …", and {@code /login/{name}/callback}, where the upstream
 * identity provider sends the browser back. The button is a link, not a form: the pages' {@code
 * form-action 'self'} would stop a form's redirect to the provider, and starting a sign-in changes
 * nothing but this browser's sign-in cookie. The callback finishes only the sign-in this browser
 * started, in this browser session ({@link UpstreamSignIn#finish}); any refusal is a page that says
 * why, and nothing is changed.
 */
final class UpstreamPages {
  static final String COOKIE = "dl_upstream";
  static final String HOST_ONLY_COOKIE = "__Host-" + COOKIE;
  private static final int LONGEST_PARAMETER = Defaults.MAX_PARAMETER_LENGTH;

  private UpstreamPages() {}

  static String startPath(String name) {
    return "/login/" + name;
  }

  /** The query of a start that asks the provider to have the person sign in again. */
  static final String AGAIN = "again=1";

  /**
   * GET /login/{name}?next=PATH[&amp;again=1]: to the provider's authorization endpoint; {@code
   * again} asks it not to reuse its own session.
   */
  static void start(Web web, Context ctx) {
    String name = ctx.pathParam("name");
    String next = LocalPath.orElse(ctx.queryParam("next"), SignInPages.DEFAULT_NEXT);
    boolean again = "1".equals(ctx.queryParam("again"));
    Visit visit = web.cookies.current(ctx);
    UpstreamSignIn.Redirect redirect;
    try {
      redirect = web.context.upstreams().start(name, visit.ref(), next, again);
    } catch (OAuthProblem refused) {
      throw page(refused, next);
    }
    setCookie(
        web,
        ctx,
        redirect.flowCookie().revealForTransmission(),
        Defaults.UPSTREAM_SIGN_IN_LIFETIME.toSeconds());
    web.pages.redirect(ctx, redirect.location().toString());
  }

  /** GET /login/{name}/callback?code=…&state=…: signs the person in, or says why not. */
  static void callback(Web web, Context ctx) {
    String name = ctx.pathParam("name");
    Optional<String> flow = Optional.ofNullable(ctx.cookie(cookieName(web)));
    // The sign-in is over whatever comes of it: the cookie is used once.
    if (flow.isPresent()) {
      clearCookie(web, ctx);
    }
    Map<String, String> params = parameters(ctx);
    Optional<Visit> visit = web.cookies.existing(ctx);
    Origin origin = web.context.origins().of(ctx);
    String next = web.context.upstreams().nextOf(flow).orElse(SignInPages.DEFAULT_NEXT);
    if (visit.isPresent()) {
      SignInPages.refuseIfPaused(
          web,
          ctx,
          web.signIn.check(visit.get().ref(), origin.addressGroup()),
          "Too many failed sign-ins",
          "sign_in");
    }
    UpstreamSignIn.SignedIn signedIn;
    try {
      signedIn = web.context.upstreams().finish(name, flow, visit.map(Visit::ref), params);
    } catch (OAuthProblem refused) {
      visit.ifPresent(
          v ->
              web.context
                  .audit()
                  .record(
                      AuditEvent.inSession(
                              AuditEvent.Type.SIGN_IN_FAILED, Optional.empty(), origin, v.ref())
                          .detail("through " + name + ": " + refused.getMessage())));
      throw page(refused, next);
    }
    User user = signedIn.user();
    if (!user.isActive()) {
      web.context
          .audit()
          .record(
              AuditEvent.inSession(
                      AuditEvent.Type.SIGN_IN_FAILED, Optional.of(user), origin, visit.get().ref())
                  .upstream(signedIn.link())
                  .detail("account " + user.status().name().toLowerCase(Locale.ROOT)));
      throw PageProblem.inactiveAccount(user);
    }
    Visit in =
        web.cookies.signIn(
            ctx, visit.get(), user, Optional.of(signedIn.upstream().name()), signedIn.amr());
    web.context
        .audit()
        .record(
            AuditEvent.inSession(AuditEvent.Type.SIGNED_IN, Optional.of(user), origin, in.ref())
                .upstream(signedIn.link())
                .detail("through " + signedIn.upstream().name()));
    web.pages.redirect(ctx, signedIn.next());
  }

  /**
   * The callback's query, one value per name; a name given twice, or a value longer than any code
   * or state, is refused before anything is read.
   */
  private static Map<String, String> parameters(Context ctx) {
    Map<String, String> params = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
      if (e.getValue().size() > 1) {
        throw PageProblem.repeatedField();
      }
      String value = e.getValue().get(0);
      if (value.length() > LONGEST_PARAMETER) {
        throw PageProblem.of(
            400,
            "The answer from the sign-in can't be read",
            "The identity provider's answer is longer than any this server accepts. Nothing was"
                + " changed.",
            new Link("/login", "Sign in"));
      }
      params.put(e.getKey(), value);
    }
    return params;
  }

  /** The page of a refused upstream sign-in: what happened, and the way back. */
  private static PageProblem page(OAuthProblem refused, String next) {
    String again = "/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
    String heading =
        switch (refused.code()) {
          case OAuthError.TEMPORARILY_UNAVAILABLE -> "The identity provider can't be used now";
          case OAuthError.ACCESS_DENIED -> "You were not signed in";
          case OAuthError.INVALID_GRANT -> "The identity provider's answer was not accepted";
          default -> "This sign-in can't be finished";
        };
    String why = refused.getMessage();
    return new PageProblem(
        refused.status(),
        heading,
        List.of(
            Character.toUpperCase(why.charAt(0)) + why.substring(1) + ".",
            "Nothing was changed. You can start again from the sign-in page."),
        List.of(new Link(again, "Sign in")));
  }

  private static String cookieName(Web web) {
    return web.context.secureCookies() ? HOST_ONLY_COOKIE : COOKIE;
  }

  private static void clearCookie(Web web, Context ctx) {
    setCookie(web, ctx, "", 0);
  }

  private static void setCookie(Web web, Context ctx, String value, long maxAge) {
    ctx.res()
        .addHeader(
            "Set-Cookie",
            cookieName(web)
                + "="
                + value
                + "; Path=/; Max-Age="
                + maxAge
                + "; HttpOnly; SameSite=Lax"
                + (web.context.secureCookies() ? "; Secure" : ""));
  }
}
