package io.devicelogin.client.provider;

import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.wire.OAuthError;
import io.devicelogin.client.wire.Scope;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * GitHub's profile: its endpoints; its granted scope, which GitHub writes with commas ({@code
 * "repo,read:org"}) where RFC 6749 §3.3 puts spaces; and {@code token_expired}, which its
 * documentation names beside RFC 8628's {@code expired_token}. See {@link Providers#github(URI)}.
 */
final class GitHubProvider extends FixedProvider {
  GitHubProvider(AuthorizationServerMetadata metadata) {
    super("github", metadata, Map.of("token_expired", OAuthError.EXPIRED_TOKEN));
  }

  /** Each token as read is split again at its commas. */
  @Override
  public Scope grantedScope(Scope asRead) {
    List<String> tokens = new ArrayList<>();
    for (String token : asRead) {
      for (String part : token.split(",")) {
        if (!part.isEmpty()) {
          tokens.add(part);
        }
      }
    }
    return Scope.of(tokens);
  }
}
