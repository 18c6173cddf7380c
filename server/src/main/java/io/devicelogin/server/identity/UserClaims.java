package io.devicelogin.server.identity;

import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.protocol.StandardScope;
import io.devicelogin.server.store.User;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What {@code /userinfo} tells about an account (OpenID Connect Core §5.1), released strictly by
 * the access token's scope as {@link StandardScope} tables it (§5.4): a name only under {@code
 * profile}, an address only under {@code email}.
 */
public final class UserClaims {
  private UserClaims() {}

  /**
   * The claims of {@code user} that {@code scope} releases, {@code sub} first. {@code sub} is in
   * every answer: the access token presented carries it already.
   */
  public static Map<String, String> releasedBy(Scope scope, User user) {
    Map<String, String> held = new LinkedHashMap<>();
    held.put("sub", user.id());
    held.put("preferred_username", user.username());
    held.put("name", user.displayName());
    user.email().ifPresent(e -> held.put("email", e));
    Set<String> released = StandardScope.claimsReleasedBy(scope);
    held.keySet().removeIf(claim -> !claim.equals("sub") && !released.contains(claim));
    return held;
  }
}
