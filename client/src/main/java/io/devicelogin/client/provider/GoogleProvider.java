package io.devicelogin.client.provider;

import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.wire.Scope;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Google's profile: its endpoints, and the names Google grants for requested scopes. See {@link
 * Providers#google(URI)}.
 */
final class GoogleProvider extends FixedProvider {
  /**
   * Granted scopes that are another name for a requested one, so not a widening: Google answers a
   * request for {@code email} and {@code profile} with the full userinfo scope URLs.
   */
  private static final Map<String, String> ALIASES =
      Map.of(
          "https://www.googleapis.com/auth/userinfo.email", "email",
          "https://www.googleapis.com/auth/userinfo.profile", "profile");

  GoogleProvider(AuthorizationServerMetadata metadata) {
    super("google", metadata);
  }

  @Override
  public Scope widening(Scope requested, Scope granted) {
    List<String> extra = new ArrayList<>();
    for (String token : granted.without(requested)) {
      if (!requested.contains(ALIASES.getOrDefault(token, token))) {
        extra.add(token);
      }
    }
    return Scope.of(extra);
  }
}
