package io.devicelogin.server.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.Secret;
import io.devicelogin.client.wire.Json;
import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.grant.AccessTokenClaims;
import io.devicelogin.server.grant.TokenService;
import io.devicelogin.server.identity.User;
import io.devicelogin.server.identity.UserService;
import java.util.Optional;

/** {@code GET /userinfo}: who the bearer of an access token is (RFC 6750 bearer, OIDC claims). */
public final class UserinfoEndpoint {
  private final TokenService tokens;
  private final UserService users;

  public UserinfoEndpoint(TokenService tokens, UserService users) {
    this.tokens = tokens;
    this.users = users;
  }

  public void handle(OAuthExchange ctx) {
    if (ctx.headers("Authorization").size() > 1) {
      // RFC 6750 §2: one way of presenting one token per request.
      ctx.header("WWW-Authenticate", "Bearer realm=\"devicelogin\", error=\"invalid_request\"");
      OAuthResponses.json(
          ctx,
          400,
          Json.newObject()
              .put("error", "invalid_request")
              .put("error_description", "the Authorization header is repeated"));
      return;
    }
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"devicelogin\"");
      OAuthResponses.json(
          ctx,
          401,
          Json.newObject()
              .put("error", "invalid_token")
              .put("error_description", "an access token is required"));
      return;
    }
    Optional<AccessTokenClaims> claims =
        tokens.validAccessToken(Secret.of(header.substring(7).trim()));
    Optional<User> user = claims.flatMap(c -> users.find(c.subject()));
    if (user.isEmpty()) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"devicelogin\", error=\"invalid_token\"");
      OAuthResponses.json(
          ctx,
          401,
          Json.newObject()
              .put("error", "invalid_token")
              .put("error_description", "the access token is invalid, expired or revoked"));
      return;
    }
    ObjectNode body = Json.newObject().put("sub", user.get().id());
    if (claims.get().scope().contains("profile") || claims.get().scope().contains("openid")) {
      body.put("preferred_username", user.get().username());
      body.put("name", user.get().displayName());
    }
    if (claims.get().scope().contains("email")) {
      user.get().email().ifPresent(e -> body.put("email", e));
    }
    body.put("client_id", claims.get().clientId());
    body.put("scope", Scope.of(claims.get().scope()).format());
    OAuthResponses.json(ctx, 200, body);
  }
}
