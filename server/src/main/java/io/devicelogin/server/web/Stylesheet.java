package io.devicelogin.server.web;

import io.devicelogin.server.crypto.Hashing;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The one stylesheet, {@code static/style.css} on the class path. Its address carries a hash of its
 * content, so browsers may cache it for a day and still see a new version at once.
 */
final class Stylesheet {
  static final String PATH = "/static/style.css";

  private final byte[] css;
  private final String href;

  private Stylesheet(byte[] css) {
    this.css = css;
    this.href =
        PATH + "?v=" + Hashing.sha256(new String(css, StandardCharsets.UTF_8)).substring(0, 12);
  }

  static Stylesheet load() {
    try (InputStream in =
        Stylesheet.class.getClassLoader().getResourceAsStream("static/style.css")) {
      if (in == null) {
        throw new IllegalStateException("static/style.css is missing from the class path");
      }
      return new Stylesheet(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String href() {
    return href;
  }

  void serve(Context ctx) {
    ctx.header("Cache-Control", "public, max-age=86400");
    ctx.contentType("text/css; charset=utf-8").result(css);
  }
}
