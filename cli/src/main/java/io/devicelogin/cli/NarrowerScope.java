package io.devicelogin.cli;

import io.devicelogin.client.wire.Scope;
import picocli.CommandLine.Option;

/** {@code --scope} of {@code token} and {@code exec}: a narrower token for one use, not stored. */
final class NarrowerScope {
  @Option(
      names = "--scope",
      paramLabel = "\"a b\"",
      description = "Ask for a narrower token for this use only (not stored).")
  String scope;

  /** As picocli fills it in for {@code --scope scope}; {@code null}: not given. */
  static NarrowerScope of(String scope) {
    NarrowerScope option = new NarrowerScope();
    option.scope = scope;
    return option;
  }

  /** The scopes asked for; empty for the login's own. */
  Scope scopes() {
    return Session.scopes(scope);
  }
}
