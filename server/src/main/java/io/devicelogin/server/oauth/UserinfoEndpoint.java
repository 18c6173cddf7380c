package io.devicelogin.server.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.Secret;
import io.devicelogin.client.wire.Json;
import io.devicelogin.server.grant.AccessTokenClaims;
import io.devicelogin.server.grant.TokenService;
import io.devicelogin.server.identity.UserClaims;
import io.devicelogin.server.identity.UserService;
import io.devicelogin.server.protocol.OAuthExchange;
import io.devicelogin.server.store.User;
import java.util.Optional;

/**
 * {@code GET /userinfo}: who the bearer of an access token is (RFC 6750 bearer), in the OpenID
 * Connect claims its scope releases ({@link UserClaims}).
 */
public record UserinfoEndpoint(TokenService tokens, UserService users) {

  public void handle(OAuthExchange ctx) {
    if (ctx.headers("Authorization").size() > 1) {
      // RFC 6750 §2: one way of presenting one token per request.
      refuse(ctx, 400, "invalid_request", true, "the Authorization header is repeated");
      return;
    }
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      // RFC 6750 §3.1: the challenge to a request without a token names no error.
      refuse(ctx, 401, "invalid_token", false, "an access token is required");
      return;
    }
    Optional<AccessTokenClaims> claims =
        tokens.validAccessToken(Secret.of(header.substring(7).trim()));
    Optional<User> user = claims.flatMap(c -> users.find(c.subject()));
    if (user.isEmpty()) {
      refuse(ctx, 401, "invalid_token", true, "the access token is invalid, expired or revoked");
      return;
    }
    ObjectNode body = Json.newObject();
    UserClaims.releasedBy(claims.get().scope(), user.get()).forEach(body::put);
    body.put("client_id", claims.get().clientId());
    body.put("scope", claims.get().scope().format());
    OAuthResponses.json(ctx, 200, body);
  }

  /** An RFC 6750 §3 refusal: the Bearer challenge, naming the error if {@code challenged}. */
  private static void refuse(
      OAuthExchange ctx, int status, String error, boolean challenged, String description) {
    ctx.header(
        "WWW-Authenticate",
        "Bearer realm=\"devicelogin\"" + (challenged ? ", error=\"" + error + "\"" : ""));
    OAuthResponses.json(
        ctx, status, Json.newObject().put("error", error).put("error_description", description));
  }
}
