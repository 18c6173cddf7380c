package io.devicelogin.server.oauth;

import io.devicelogin.server.grant.SigningKeys;
import io.devicelogin.server.protocol.OAuthExchange;

/** {@code GET /jwks}: the public keys access tokens are signed with. */
public final class JwksEndpoint {
  private final String body;

  public JwksEndpoint(SigningKeys keys) {
    this.body = keys.publicSet().toString(true);
  }

  public void handle(OAuthExchange ctx) {
    ctx.header("Cache-Control", "public, max-age=300");
    ctx.contentType("application/jwk-set+json;charset=utf-8");
    ctx.result(body);
  }
}
