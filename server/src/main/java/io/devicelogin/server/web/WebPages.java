package io.devicelogin.server.web;

import io.devicelogin.server.ServerContext;
import io.javalin.config.RoutesConfig;

/** The pages a person sees: verification, sign-in, consent, result, account and admin. */
public final class WebPages {
  private WebPages() {}

  /** Registers the pages' routes. */
  public static void register(RoutesConfig routes, java.util.function.Supplier<ServerContext> context) {
    // The pages arrive in the next change; the OAuth endpoints work without them.
  }
}
