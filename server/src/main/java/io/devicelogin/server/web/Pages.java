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
import java.util.function.Consumer;

/**
 * Renders the precompiled JTE templates (under {@code src/main/jte}) and marks every page response,
 * redirects included, as a page for the security headers, which the server's assembly decides.
 */
final class Pages {
  private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);
  private final String stylesheet;
  private final Consumer<Context> pageHeaders;

  Pages(String stylesheet, Consumer<Context> pageHeaders) {
    this.stylesheet = stylesheet;
    this.pageHeaders = pageHeaders;
  }

  /** The stylesheet's address, versioned by its content so that browsers may cache it. */
  String stylesheet() {
    return stylesheet;
  }

  /** Puts a page's security headers on the answer. */
  void securityHeaders(Context ctx) {
    pageHeaders.accept(ctx);
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
