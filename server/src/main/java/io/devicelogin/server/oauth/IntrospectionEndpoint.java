package io.devicelogin.server.oauth;

import io.devicelogin.client.wire.IntrospectionRequest;
import io.devicelogin.client.wire.Json;
import io.devicelogin.server.grant.TokenService;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.protocol.FormRequest;
import io.devicelogin.server.protocol.OAuthExchange;

/**
 * {@code POST /oauth2/introspect} (RFC 7662), for resource servers: confidential clients allowed to
 * introspect. A revoked grant's tokens are inactive at once.
 */
public record IntrospectionEndpoint(ClientAuthentication authentication, TokenService tokens) {

  public void handle(OAuthExchange ctx) {
    FormRequest form = FormRequest.read(ctx);
    ClientPolicy caller = authentication.authenticate(ctx, form);
    caller.requireIntrospection();
    IntrospectionRequest request = form.as(IntrospectionRequest::parse);
    OAuthResponses.json(ctx, 200, Json.mapper().valueToTree(tokens.introspect(request.token())));
  }
}
