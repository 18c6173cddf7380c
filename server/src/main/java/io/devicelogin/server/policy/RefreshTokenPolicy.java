package io.devicelogin.server.policy;

import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.protocol.StandardScope;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * When a client's grants get refresh tokens, {@code refresh_tokens} in the configuration file. RFC
 * 6749 §1.5 leaves it to the server; OpenID Connect Core §11 ties it to {@code offline_access},
 * which is also the scope the consent page words as "stay signed in", so by default a login stays
 * signed in only when the person was asked about that.
 */
public enum RefreshTokenPolicy {
  /** No refresh tokens: every login ends when its access token expires. */
  NEVER,
  /** A refresh token only for a grant whose scope holds {@code offline_access}: the default. */
  OFFLINE_ACCESS,
  /** A refresh token for every grant; the consent page says so as if it held offline_access. */
  ALWAYS;

  /** Its name in the configuration file: {@code never}, {@code offline_access}, {@code always}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The policy of {@code name} in the configuration file, if it names one. */
  public static Optional<RefreshTokenPolicy> named(String name) {
    return Arrays.stream(values()).filter(p -> p.configName().equals(name)).findFirst();
  }

  /** Whether a grant of {@code scope} gets a refresh token, at issuance and at every rotation. */
  public boolean issuesFor(Scope scope) {
    return switch (this) {
      case NEVER -> false;
      case OFFLINE_ACCESS -> StandardScope.OFFLINE_ACCESS.isIn(scope);
      case ALWAYS -> true;
    };
  }
}
