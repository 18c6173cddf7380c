package io.devicelogin.server.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.devicelogin.server.web.Views.Frame;
import io.devicelogin.server.web.Views.Link;
import io.devicelogin.server.web.Views.Message;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * Renders the precompiled JTE templates (under {@code src/main/jte}) and puts the security headers
 * on every page response, redirects included.
 */
final class Pages {
  /** No script at all, styles only from our own stylesheet, forms only to us, never in a frame. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'self'; img-src 'self';"
          + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);
  private final String stylesheet;

  Pages(String stylesheet) {
    this.stylesheet = stylesheet;
  }

  /** The stylesheet's address, versioned by its content so that browsers may cache it. */
  String stylesheet() {
    return stylesheet;
  }

  static void securityHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", "no-store");
  }

  /** Renders {@code template} (a path under {@code src/main/jte}) with the frame and the view. */
  void render(Context ctx, int status, String template, Frame frame, Object view) {
    StringOutput out = new StringOutput();
    engine.render(template, Map.of("frame", frame, "view", view), out);
    securityHeaders(ctx);
    ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
  }

  void message(
      Context ctx,
      int status,
      Frame frame,
      String heading,
      List<String> paragraphs,
      List<Link> links) {
    render(
        ctx, status, "message.jte", frame, new Message(heading, paragraphs, links, status >= 400));
  }

  /** 303 See Other: after a POST the browser loads the next page with GET (no resubmission). */
  void redirect(Context ctx, String location) {
    securityHeaders(ctx);
    ctx.status(303).header("Location", location).result("");
  }
}
