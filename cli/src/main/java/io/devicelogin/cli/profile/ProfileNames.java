package io.devicelogin.cli.profile;

import java.util.regex.Pattern;

/**
 * What a profile may be called: 1 to 64 of {@code A-Z a-z 0-9 . _ -}, starting with a letter or a
 * digit. Names end up in keyring attributes, Keychain commands and PowerShell scripts, so keeping
 * them this plain is what makes quoting a non-issue there.
 */
public final class ProfileNames {
  /** The profile used when {@code --profile} is not given. */
  public static final String DEFAULT = "default";

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private ProfileNames() {}

  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches();
  }

  /**
   * Returns {@code name} if it is valid.
   *
   * @throws IllegalArgumentException with a message fit for the user (a usage error)
   */
  public static String check(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(
          "invalid profile name"
              + (name == null ? "" : " \"" + printable(name) + "\"")
              + ": use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or a digit");
    }
    return name;
  }

  private static String printable(String name) {
    String shown = name.length() > 70 ? name.substring(0, 70) + "…" : name;
    return shown.replaceAll("\\p{Cntrl}", "?");
  }
}
