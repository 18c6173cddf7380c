package io.devicelogin.server.oauth;

import io.devicelogin.client.wire.DeviceAuthorizationRequest;
import io.devicelogin.client.wire.DeviceAuthorizationResponse;
import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.device.DeviceAuthorizationService;
import io.devicelogin.server.metrics.Metrics;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.policy.DeviceAuthorizationLimits;
import io.devicelogin.server.policy.RateLimiter;
import io.devicelogin.server.policy.RateLimits;
import io.devicelogin.server.protocol.FormRequest;
import io.devicelogin.server.protocol.OAuthExchange;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.protocol.RequestOrigin;
import java.util.TreeSet;

/**
 * {@code POST /oauth2/device_authorization} (RFC 8628 §3.1–3.2). The scope must be within the
 * client's allowed scopes; an absent scope means all of them (RFC 6749 §3.3 lets the server choose
 * a default). Requests are limited per IP address and per client ({@link
 * DeviceAuthorizationLimits}). A {@code device_name} is kept as {@link
 * io.devicelogin.server.device.DeviceName} cleans it.
 */
public final class DeviceAuthorizationEndpoint {
  private final ClientAuthentication authentication;
  private final DeviceAuthorizationService devices;
  private final RequestOrigin origins;
  private final DeviceAuthorizationLimits limits;

  public DeviceAuthorizationEndpoint(
      ClientAuthentication authentication,
      DeviceAuthorizationService devices,
      RequestOrigin origins,
      RateLimiter limiter,
      RateLimits limits,
      AuditLog audit,
      Metrics metrics) {
    this.authentication = authentication;
    this.devices = devices;
    this.origins = origins;
    this.limits = new DeviceAuthorizationLimits(limiter, limits, audit, metrics);
  }

  public void handle(OAuthExchange ctx) {
    FormRequest form = FormRequest.read(ctx);
    ClientPolicy client = authentication.authenticate(ctx, form);
    client.requireDeviceGrant();
    Origin origin = ctx.originBy(origins);
    limits.admit(client, origin);
    DeviceAuthorizationRequest request = form.as(DeviceAuthorizationRequest::parse);
    Scope scope = scope(request.scope(), client);
    DeviceAuthorizationResponse response =
        devices.issue(client, scope, request.deviceName(), origin);
    OAuthResponses.json(ctx, 200, response.toJson());
  }

  /**
   * The scope asked for, which must be within the client's allowed scopes; all of them when none
   * was asked for.
   */
  static Scope scope(Scope asked, ClientPolicy client) {
    if (asked.isEmpty()) {
      return Scope.of(new TreeSet<>(client.allowedScopes().tokens()));
    }
    Scope notAllowed = asked.without(client.allowedScopes());
    if (!notAllowed.isEmpty()) {
      throw OAuthProblem.invalidScope("not allowed for this client: " + notAllowed.format());
    }
    return asked;
  }
}
