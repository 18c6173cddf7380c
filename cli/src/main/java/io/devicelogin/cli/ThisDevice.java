package io.devicelogin.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The name this machine gives in a login's {@code device_name}: host name and OS, such as {@code
 * build-01 (Linux 6.1.0)}, so that the person approving can tell two terminals apart. {@code
 * DEVICELOGIN_DEVICE_NAME} replaces it, and set to {@code -} sends none. The host name is read
 * without a DNS lookup, which can take seconds on a machine whose name does not resolve.
 */
final class ThisDevice {
  static final String VARIABLE = "DEVICELOGIN_DEVICE_NAME";

  private ThisDevice() {}

  static Optional<String> name(Environment env) {
    return name(env, null);
  }

  /** As {@link #name(Environment)}, {@code option} ({@code --device-name}) first if given. */
  static Optional<String> name(Environment env, String option) {
    String chosen = option != null ? option : env.var(VARIABLE);
    if (chosen != null) {
      return chosen.isBlank() || chosen.equals("-")
          ? Optional.empty()
          : Optional.of(chosen.strip());
    }
    String os = System.getProperty("os.name", "") + " " + System.getProperty("os.version", "");
    return host(env).map(h -> os.isBlank() ? h : h + " (" + os.strip() + ")");
  }

  private static Optional<String> host(Environment env) {
    for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
      if (env.var(variable) != null) {
        return Optional.of(env.var(variable).strip());
      }
    }
    try {
      Path etc = Path.of("/etc/hostname");
      if (Files.isReadable(etc)) {
        String name = Files.readString(etc).strip();
        if (!name.isEmpty()) {
          return Optional.of(name);
        }
      }
    } catch (IOException | RuntimeException e) {
      // No name then: the device name is a help to the person, never required.
    }
    return Optional.empty();
  }
}
