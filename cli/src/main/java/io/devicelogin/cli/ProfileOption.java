package io.devicelogin.cli;

import picocli.CommandLine.Option;

/** {@code --profile NAME}, shared by the commands that act on one login. */
public final class ProfileOption {
  @Option(
      names = "--profile",
      paramLabel = "NAME",
      defaultValue = "default",
      description = "The profile: one login and its settings (default: ${DEFAULT-VALUE}).")
  String name;

  public String name() {
    if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new UsageException("a profile name is 1 to 64 letters, digits, '.', '_' or '-'");
    }
    return name;
  }
}
