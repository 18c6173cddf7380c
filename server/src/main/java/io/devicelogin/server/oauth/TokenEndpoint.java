package io.devicelogin.server.oauth;

import io.devicelogin.client.wire.Scope;
import io.devicelogin.client.wire.TokenRequest;
import io.devicelogin.client.wire.TokenResponse;
import io.devicelogin.server.device.DeviceAuthorizationService;
import io.devicelogin.server.grant.TokenService;
import io.devicelogin.server.metrics.Metrics;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.protocol.FormRequest;
import io.devicelogin.server.protocol.OAuthExchange;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.protocol.RequestOrigin;
import java.util.Optional;

/**
 * {@code POST /oauth2/token} with the device code grant (RFC 8628 §3.4) and the refresh token grant
 * (RFC 6749 §6).
 */
public record TokenEndpoint(
    ClientAuthentication authentication,
    DeviceAuthorizationService devices,
    TokenService tokens,
    RequestOrigin origins,
    Metrics metrics) {

  public void handle(OAuthExchange ctx) {
    FormRequest form = FormRequest.read(ctx);
    ClientPolicy client = authentication.authenticate(ctx, form);
    Origin origin = ctx.originBy(origins);
    TokenRequest request = form.as(TokenRequest::parse);
    TokenResponse response;
    if (request instanceof TokenRequest.DeviceCode poll) {
      client.requireDeviceGrant();
      response = devices.poll(poll.deviceCode(), client, origin);
      metrics.grantIssued();
    } else if (request instanceof TokenRequest.Refresh refresh) {
      Optional<Scope> scope =
          refresh.scope().isEmpty()
              ? Optional.empty()
              : Optional.of(DeviceAuthorizationEndpoint.scope(refresh.scope(), client));
      response = tokens.refresh(refresh.refreshToken(), client, scope, origin);
    } else {
      throw new IllegalStateException("no handler for the grant type " + request.grantType());
    }
    OAuthResponses.json(ctx, 200, response.toJson());
  }
}
