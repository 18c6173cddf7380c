package io.devicelogin.server.web;

import io.devicelogin.server.store.User;
import io.devicelogin.server.web.Views.Frame;
import io.devicelogin.server.web.Views.Link;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pages a person sees: verification ({@code /device}), sign-in, consent, result, account and
 * admin, and their stylesheet.
 *
 * <p>Every page response carries a Content-Security-Policy without any script, {@code
 * frame-ancestors 'none'}, {@code Referrer-Policy: no-referrer} and {@code Cache-Control:
 * no-store}; every form carries the session's CSRF token and every POST checks it. A failure is a
 * readable page with a status code, never a stack trace.
 */
public final class WebPages {
  private static final Logger log = LoggerFactory.getLogger(WebPages.class);

  private WebPages() {}

  /** What a page does with the shared services and the request. */
  @FunctionalInterface
  interface PageHandler {
    void handle(Web web, Context ctx) throws Exception;
  }

  /** A page only for the signed-in, shown to the visit's active user. */
  @FunctionalInterface
  interface SignedInPage {
    void show(Web web, Context ctx, Visit visit, User user) throws Exception;
  }

  /**
   * Registers the pages' routes; {@code context} is asked for the services at the first request.
   *
   * @param pageHeaders puts the security headers of a page on an answer
   */
  public static void register(
      RoutesConfig routes, Supplier<ServerContext> context, Consumer<Context> pageHeaders) {
    Stylesheet stylesheet = Stylesheet.load();
    Pages pages = new Pages(stylesheet.href(), pageHeaders);
    Supplier<Web> web =
        new Supplier<>() {
          private volatile Web value;

          @Override
          public Web get() {
            Web w = value;
            if (w == null) {
              synchronized (this) {
                if (value == null) {
                  value = new Web(context.get(), pages);
                }
                w = value;
              }
            }
            return w;
          }
        };

    routes.get(Stylesheet.PATH, stylesheet::serve);
    routes.get("/", ctx -> pages.redirect(ctx, "/device"));
    routes.get("/device", page(web, VerificationPages::enterCode));
    routes.post("/device", page(web, VerificationPages::submitCode));
    routes.get(VerificationPages.CONSENT, page(web, VerificationPages::consent));
    routes.post(VerificationPages.CONSENT, page(web, VerificationPages::decide));
    routes.get("/login", page(web, SignInPages::form));
    routes.post("/login", page(web, SignInPages::submit));
    routes.post("/logout", page(web, SignInPages::logout));
    routes.get("/login/{name}", page(web, UpstreamPages::start));
    routes.get("/login/{name}/callback", page(web, UpstreamPages::callback));
    routes.get(AccountPage.PATH, signedIn(web, AccountPage.PATH, AccountPage::show));
    routes.post(AccountPage.PATH + "/revoke", page(web, AccountPage::revoke));
    routes.get(AdminPage.PATH, signedIn(web, AdminPage.PATH, AdminPage::show));
    routes.post(AdminPage.PATH + "/revoke", page(web, AdminPage::revoke));
    routes.get(AdminGrantPage.PATH, page(web, AdminGrantPage::find));
    routes.get(AdminGrantPage.PATH + "/{id}", page(web, AdminGrantPage::show));
    routes.post(AdminReauthentication.PATH, page(web, AdminReauthentication::submit));
    routes.post(AdminPauses.LIFT, page(web, AdminPauses::lift));
    routes.get(AdminUsers.PATH, signedIn(web, AdminUsers.PATH, AdminUsers::show));
    routes.post(AdminUsers.CHANGE, page(web, AdminUsers::change));
    // A method a page does not answer gets a page that says so (the assembly puts the Allow
    // header), not a 404 as if the page did not exist.
    routes.error(
        405,
        "html",
        ctx ->
            problem(
                web.get(),
                ctx,
                PageProblem.of(
                    405,
                    "This page can't be used that way",
                    "The browser asked this page for something it does not do. Go back and try"
                        + " again.",
                    new Link("/device", "Enter a code"))));
    // A browser asking for a page that does not exist gets a page, not Javalin's plain text.
    routes.error(
        404,
        "html",
        ctx -> {
          String type = ctx.res().getContentType();
          if (ctx.attribute(RENDERED) == null
              && (type == null || !type.startsWith("application/json"))) {
            problem(
                web.get(),
                ctx,
                PageProblem.of(
                    404,
                    "Page not found",
                    "There is no page at this address.",
                    new Link("/device", "Enter a code"),
                    new Link(AccountPage.PATH, "Your CLI sessions")));
          }
        });
  }

  private static final String RENDERED = "devicelogin.page";

  private static Handler page(Supplier<Web> web, PageHandler handler) {
    return ctx -> {
      ctx.attribute(RENDERED, Boolean.TRUE);
      Web w = web.get();
      try {
        handler.handle(w, ctx);
      } catch (PageProblem p) {
        problem(w, ctx, p);
      } catch (HttpResponseException e) {
        // From Javalin itself, e.g. a body too large: say it as a page.
        problem(
            w,
            ctx,
            PageProblem.of(
                e.getStatus(),
                "The request can't be handled",
                "The browser sent something this page cannot accept. Go back and try again."));
      } catch (Exception e) {
        log.error("page {} {} failed", ctx.method(), ctx.path(), e);
        problem(
            w,
            ctx,
            PageProblem.of(
                500,
                "Something went wrong on our side",
                "The server could not finish this request. Nothing you did caused it. Try again in a moment.",
                new Link("/device", "Enter a code")));
      }
    };
  }

  /** {@code page} for a signed-in visit; a redirect to sign-in, back to {@code path}, otherwise. */
  private static Handler signedIn(Supplier<Web> web, String path, SignedInPage page) {
    return page(
        web,
        (w, ctx) -> {
          Visit visit = w.cookies.current(ctx);
          Optional<User> user = w.signedInOrRedirect(ctx, visit, path);
          if (user.isPresent()) {
            page.show(w, ctx, visit, user.get());
          }
        });
  }

  private static void problem(Web web, Context ctx, PageProblem p) {
    try {
      Frame frame = web.problemFrame(ctx, p.heading);
      web.pages.message(ctx, p.status, frame, p.heading, p.paragraphs, p.links);
    } catch (RuntimeException e) {
      log.error("rendering the error page for {} {} failed", ctx.method(), ctx.path(), e);
      web.pages.securityHeaders(ctx);
      ctx.status(p.status).contentType("text/plain; charset=utf-8").result(p.heading);
    }
  }
}
