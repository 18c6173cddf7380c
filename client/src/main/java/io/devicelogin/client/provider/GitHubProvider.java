package io.devicelogin.client.provider;

import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.wire.Scope;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * GitHub's profile: its endpoints, and its granted scope, which GitHub writes with commas ({@code
 * "repo,read:org"}) where RFC 6749 §3.3 puts spaces. See {@link Providers#github(URI)}.
 */
final class GitHubProvider extends FixedProvider {
  GitHubProvider(AuthorizationServerMetadata metadata) {
    super("github", metadata);
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
