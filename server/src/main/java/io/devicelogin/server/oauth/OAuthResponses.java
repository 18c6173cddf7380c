package io.devicelogin.server.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.devicelogin.client.wire.Json;
import io.devicelogin.server.protocol.OAuthExchange;
import io.devicelogin.server.protocol.OAuthProblem;

/** JSON answers of the OAuth endpoints: never cached (RFC 6749 §5.1). */
public final class OAuthResponses {
  private OAuthResponses() {}

  public static void json(OAuthExchange ctx, int status, JsonNode body) {
    ctx.status(status);
    ctx.header("Cache-Control", "no-store");
    ctx.header("Pragma", "no-cache");
    ctx.contentType("application/json;charset=utf-8");
    ctx.result(Json.write(body));
  }

  /**
   * The RFC 6749 §5.2 error object, with {@code WWW-Authenticate} on 401 (§5.2, RFC 6750 §3) and
   * {@code Retry-After} when the refusal says when to try again.
   */
  public static void error(OAuthExchange ctx, OAuthProblem problem) {
    problem
        .retryAfter()
        .ifPresent(wait -> ctx.header("Retry-After", Long.toString(wait.toSeconds())));
    if (problem.status() == 401) {
      ctx.header(
          "WWW-Authenticate", "Basic realm=\"devicelogin\", error=\"" + problem.code() + "\"");
    }
    json(ctx, problem.status(), problem.toJson());
  }
}
