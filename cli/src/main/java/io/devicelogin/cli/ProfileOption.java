package io.devicelogin.cli;

import picocli.CommandLine.Option;

/** {@code --profile NAME}, shared by the commands that act on one login. */
public final class ProfileOption {
  /** The profile of a command without {@code --profile}. */
  static final String DEFAULT = "default";

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      defaultValue = DEFAULT,
      description = "The profile: one login and its settings (default: ${DEFAULT-VALUE}).")
  String name;

  /** As picocli fills it in for {@code --profile name}; {@code null}: not given. */
  static ProfileOption named(String name) {
    ProfileOption option = new ProfileOption();
    option.name = name == null ? DEFAULT : name;
    return option;
  }

  /** The command that logs in to this profile. */
  String loginCommand() {
    return "devicelogin login" + (name().equals(DEFAULT) ? "" : " --profile " + name());
  }

  public String name() {
    if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new UsageException("a profile name is 1 to 64 letters, digits, '.', '_' or '-'");
    }
    return name;
  }
}
