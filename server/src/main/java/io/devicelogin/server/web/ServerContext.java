package io.devicelogin.server.web;

import io.devicelogin.server.admin.UserAdministration;
import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.device.DeviceAuthorizationService;
import io.devicelogin.server.grant.TokenService;
import io.devicelogin.server.identity.BrowserSessions;
import io.devicelogin.server.identity.UserService;
import io.devicelogin.server.metrics.Metrics;
import io.devicelogin.server.policy.ClientRegistry;
import io.devicelogin.server.policy.RateLimiter;
import io.devicelogin.server.protocol.RequestOrigin;
import io.devicelogin.server.upstream.UpstreamSignIn;
import java.security.SecureRandom;
import java.time.Clock;

/** The services of one running server, for the HTTP layer and for tests that call them directly. */
public record ServerContext(
    String issuer,
    boolean secureCookies,
    Clock clock,
    SecureRandom random,
    ClientRegistry clients,
    UserService users,
    AuditLog audit,
    TokenService tokens,
    DeviceAuthorizationService devices,
    RequestOrigin origins,
    RateLimiter limiter,
    Metrics metrics,
    BrowserSessions sessions,
    UpstreamSignIn upstreams) {

  /** The administration of accounts over these services, as /admin/users uses it. */
  public UserAdministration administration() {
    return new UserAdministration(users, tokens, audit, clients.admins());
  }
}
