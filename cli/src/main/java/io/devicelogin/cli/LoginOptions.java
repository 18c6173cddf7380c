package io.devicelogin.cli;

import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options of a login in this terminal that {@code login} and {@code demo} share: whether to
 * open a browser, and where the tokens go.
 */
final class LoginOptions {
  @Option(names = "--no-browser", description = "Do not open a browser; just print the link.")
  boolean noBrowser;

  @Option(
      names = "--store",
      paramLabel = "KIND",
      description =
          "keyring (the OS secret store) or memory (an"
              + " in-memory agent). Default: keyring when it works, else memory.")
  String store;

  /** {@code --store}, else {@code recorded} (a profile's): keyring or memory; empty for neither. */
  Optional<String> store(Optional<String> recorded) {
    Optional<String> choice = Optional.ofNullable(store).or(() -> recorded);
    choice.ifPresent(
        s -> {
          if (!s.equals("keyring") && !s.equals("memory")) {
            throw new UsageException("--store is keyring or memory, not '" + s + "'");
          }
        });
    return choice;
  }
}
