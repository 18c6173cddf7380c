package io.devicelogin.cli.terminal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The facts a browser launch depends on ({@link BrowserDecision}).
 *
 * @param os the operating system
 * @param env the environment
 * @param procVersion the contents of {@code /proc/version}, empty where there is none
 * @param onPath whether a program of that name is on {@code PATH}
 */
public record Platform(
    Platform.Os os, Map<String, String> env, String procVersion, Predicate<String> onPath) {

  /** The operating systems that open URLs differently. */
  public enum Os {
    LINUX,
    MAC,
    WINDOWS,
    /** BSDs, Solaris and the like: {@code xdg-open}, as on Linux. */
    OTHER_UNIX;

    /** From the {@code os.name} system property. */
    public static Os fromName(String osName) {
      String name = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
      if (name.startsWith("linux")) {
        return LINUX;
      }
      if (name.startsWith("mac") || name.startsWith("darwin")) {
        return MAC;
      }
      if (name.startsWith("windows")) {
        return WINDOWS;
      }
      return OTHER_UNIX;
    }
  }

  public Platform {
    Objects.requireNonNull(os, "os");
    env = Map.copyOf(env);
    procVersion = procVersion == null ? "" : procVersion;
    Objects.requireNonNull(onPath, "onPath");
  }

  /** For tests: these programs are on {@code PATH}, and no other. */
  public static Platform of(
      Os os, Map<String, String> env, String procVersion, Set<String> programs) {
    Set<String> copy = Set.copyOf(programs);
    return new Platform(os, env, procVersion, copy::contains);
  }

  /** This machine. */
  public static Platform current() {
    return current(System.getenv());
  }

  /** This machine, with {@code env} standing for the environment. */
  public static Platform current(Map<String, String> env) {
    Os os = Os.fromName(System.getProperty("os.name"));
    String procVersion = "";
    if (os == Os.LINUX) {
      try {
        procVersion = Files.readString(Path.of("/proc/version"), StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        // Not WSL then, as far as this can tell.
      }
    }
    return new Platform(os, env, procVersion, onPathOf(env));
  }

  /** Windows Subsystem for Linux, where the browser is a Windows program. */
  public boolean wsl() {
    String distro = env.get("WSL_DISTRO_NAME");
    return (distro != null && !distro.isEmpty())
        || procVersion.toLowerCase(Locale.ROOT).contains("microsoft");
  }

  /** Whether the environment variable is set and not empty. */
  boolean set(String name) {
    String value = env.get(name);
    return value != null && !value.isEmpty();
  }

  private static Predicate<String> onPathOf(Map<String, String> env) {
    String path = env.getOrDefault("PATH", "");
    return program -> onPath(path, program);
  }

  private static boolean onPath(String path, String program) {
    for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
