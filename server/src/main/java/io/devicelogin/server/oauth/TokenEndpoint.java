package io.devicelogin.server.oauth;

import io.devicelogin.client.Secret;
import io.devicelogin.client.flow.PollingEngine;
import io.devicelogin.client.wire.TokenResponse;
import io.devicelogin.server.device.DeviceAuthorizationService;
import io.devicelogin.server.grant.TokenService;
import io.devicelogin.server.metrics.Metrics;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.protocol.FormRequest;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.protocol.RequestOrigin;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /oauth2/token} with the device code grant (RFC 8628 §3.4) and the refresh token grant
 * (RFC 6749 §6).
 */
public final class TokenEndpoint {
  private final ClientAuthentication authentication;
  private final DeviceAuthorizationService devices;
  private final TokenService tokens;
  private final RequestOrigin origins;
  private final Metrics metrics;

  public TokenEndpoint(
      ClientAuthentication authentication,
      DeviceAuthorizationService devices,
      TokenService tokens,
      RequestOrigin origins,
      Metrics metrics) {
    this.authentication = authentication;
    this.devices = devices;
    this.tokens = tokens;
    this.origins = origins;
    this.metrics = metrics;
  }

  public void handle(OAuthExchange ctx) {
    FormRequest form = FormRequest.read(ctx);
    String grantType = form.require("grant_type");
    ClientPolicy client = authentication.authenticate(ctx, form);
    Origin origin = ctx.originBy(origins);
    TokenResponse response;
    if (PollingEngine.DEVICE_CODE_GRANT.equals(grantType)) {
      client.requireDeviceGrant();
      response = devices.poll(Secret.of(form.require("device_code")), client, origin);
      metrics.grantIssued();
    } else if ("refresh_token".equals(grantType)) {
      Optional<Set<String>> scope =
          form.get("scope").map(s -> DeviceAuthorizationEndpoint.scope(form, client));
      response = tokens.refresh(Secret.of(form.require("refresh_token")), client, scope, origin);
    } else {
      throw new OAuthProblem(
          "unsupported_grant_type",
          "this server supports the device code and refresh token grants",
          400);
    }
    OAuthResponses.json(ctx, 200, response.toJson());
  }
}
