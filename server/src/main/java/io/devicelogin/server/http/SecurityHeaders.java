package io.devicelogin.server.http;

import io.javalin.http.Context;
import java.util.function.BiConsumer;
import org.eclipse.jetty.http.HttpFields;

/**
 * The security headers of every answer, decided here and nowhere else: on every answer {@code
 * X-Content-Type-Options: nosniff}, {@code Referrer-Policy: no-referrer} (codes must not leak
 * through {@code Referer}), {@code X-Frame-Options: DENY} and a Content-Security-Policy with {@code
 * frame-ancestors 'none'} (nothing of ours may be framed: clickjacking of the consent page).
 *
 * <p>Two kinds of answer differ only in what they may load:
 *
 * <ul>
 *   <li>a page may load our stylesheet and images and post its forms to us, and runs no script at
 *       all; it is never stored, since it shows a person's codes and sessions;
 *   <li>every other answer (the OAuth endpoints, {@code /healthz}, {@code /metrics}, the
 *       stylesheet, Javalin's and Jetty's own error answers) may load nothing.
 * </ul>
 *
 * Every answer gets the second kind first; a page then calls {@link #page}, which the pages receive
 * from the assembly so that they need not know this package. A server reached over https adds HSTS
 * to every answer ({@link #strictTransport}).
 */
public final class SecurityHeaders {
  /** Anything but a page: nothing may load, nothing may frame it. */
  static final String ANSWER_POLICY = "default-src 'none'; frame-ancestors 'none'";

  /** No script at all, styles only from our own stylesheet, forms only to us, never in a frame. */
  static final String PAGE_POLICY =
      "default-src 'none'; style-src 'self'; img-src 'self';"
          + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  /**
   * HSTS (RFC 6797) for a server people reach over https: a year, without subdomains, which are not
   * ours to decide.
   */
  static final String STRICT_TRANSPORT = "max-age=31536000";

  private SecurityHeaders() {}

  /** Puts HSTS, on every answer of a server reached over https, whoever writes the rest. */
  static void strictTransport(HttpFields.Mutable headers) {
    headers.put("Strict-Transport-Security", STRICT_TRANSPORT);
  }

  /** Puts the headers of an answer that is not a page. */
  public static void answer(Context ctx) {
    put(ctx::header, ANSWER_POLICY);
  }

  /** The same, on an answer Jetty sends without Javalin. */
  static void answer(HttpFields.Mutable headers) {
    put(headers::put, ANSWER_POLICY);
  }

  /** Puts the headers of a page, a redirect from one page to another included. */
  public static void page(Context ctx) {
    put(ctx::header, PAGE_POLICY);
    ctx.header("Cache-Control", "no-store");
  }

  private static void put(BiConsumer<String, String> header, String policy) {
    header.accept("X-Content-Type-Options", "nosniff");
    header.accept("Referrer-Policy", "no-referrer");
    header.accept("Content-Security-Policy", policy);
    header.accept("X-Frame-Options", "DENY");
  }
}
