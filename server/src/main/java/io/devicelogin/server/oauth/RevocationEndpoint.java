package io.devicelogin.server.oauth;

import io.devicelogin.client.wire.RevocationRequest;
import io.devicelogin.server.grant.TokenService;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.protocol.FormRequest;
import io.devicelogin.server.protocol.OAuthExchange;
import io.devicelogin.server.protocol.RequestOrigin;

/**
 * {@code POST /oauth2/revoke} (RFC 7009). Revoking a refresh or an access token revokes its whole
 * grant; an unknown token is answered 200 all the same (§2.2).
 */
public record RevocationEndpoint(
    ClientAuthentication authentication, TokenService tokens, RequestOrigin origins) {

  public void handle(OAuthExchange ctx) {
    FormRequest form = FormRequest.read(ctx);
    ClientPolicy client = authentication.authenticate(ctx, form);
    RevocationRequest request = form.as(RevocationRequest::parse);
    tokens.revokeToken(request.token(), request.tokenTypeHint(), client, ctx.originBy(origins));
    ctx.status(200);
    ctx.header("Cache-Control", "no-store");
    ctx.result("");
  }
}
