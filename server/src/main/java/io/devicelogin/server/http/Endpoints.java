package io.devicelogin.server.http;

import io.devicelogin.server.grant.SigningKeys;
import io.devicelogin.server.oauth.ClientAuthentication;
import io.devicelogin.server.oauth.DeviceAuthorizationEndpoint;
import io.devicelogin.server.oauth.IntrospectionEndpoint;
import io.devicelogin.server.oauth.JwksEndpoint;
import io.devicelogin.server.oauth.MetadataEndpoint;
import io.devicelogin.server.oauth.RevocationEndpoint;
import io.devicelogin.server.oauth.TokenEndpoint;
import io.devicelogin.server.oauth.UserinfoEndpoint;
import io.devicelogin.server.web.ServerContext;

/**
 * What the routes of {@link HttpServer} call once the server has started: the services (for the
 * pages), the health check and the OAuth endpoints.
 */
public record Endpoints(
    ServerContext context,
    HealthCheck health,
    MetadataEndpoint metadata,
    JwksEndpoint jwks,
    DeviceAuthorizationEndpoint device,
    TokenEndpoint token,
    RevocationEndpoint revoke,
    IntrospectionEndpoint introspect,
    UserinfoEndpoint userinfo) {

  /** Every OAuth endpoint, over the services of {@code context}. */
  public static Endpoints of(ServerContext context, SigningKeys keys, HealthCheck health) {
    ClientAuthentication authentication = new ClientAuthentication(context.clients());
    return new Endpoints(
        context,
        health,
        new MetadataEndpoint(context.issuer(), context.clients()),
        new JwksEndpoint(keys),
        new DeviceAuthorizationEndpoint(
            authentication,
            context.devices(),
            context.origins(),
            context.limiter(),
            context.clients().rateLimits(),
            context.audit(),
            context.metrics()),
        new TokenEndpoint(
            authentication,
            context.devices(),
            context.tokens(),
            context.origins(),
            context.metrics()),
        new RevocationEndpoint(authentication, context.tokens(), context.origins()),
        new IntrospectionEndpoint(authentication, context.tokens()),
        new UserinfoEndpoint(context.tokens(), context.users()));
  }
}
