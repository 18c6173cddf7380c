package io.devicelogin.server.policy;

import java.util.List;
import java.util.Optional;

/**
 * How people sign in to the pages: with a password kept here ({@code "local_accounts"}, true unless
 * the configuration file says false) and through each upstream identity provider, in the order of
 * the file.
 */
public record SignInMethods(boolean localAccounts, List<UpstreamPolicy> upstreams) {
  /** Passwords only, as without a configuration file. */
  public static final SignInMethods LOCAL_ONLY = new SignInMethods(true, List.of());

  public SignInMethods {
    upstreams = List.copyOf(upstreams);
  }

  public Optional<UpstreamPolicy> upstream(String name) {
    return upstreams.stream().filter(u -> u.name().equals(name)).findFirst();
  }
}
