package io.devicelogin.cli.startup;

import java.util.Optional;

/**
 * The plain command lines of {@code status} and {@code token}, the commands scripts run most, read
 * without picocli: {@code status [--json] [--profile NAME]} and {@code token [--reveal] [--scope S]
 * [--profile NAME]}, each option at most once, {@code --name value} or {@code --name=value}.
 * Anything else, including {@code --help}, an unknown or repeated option, a value that starts with
 * {@code -} or an {@code @file} argument, is left to picocli, which parses and reports it.
 *
 * <p>Saves: picocli's classes are Java 5 class files, which the JDK's class-data archive cannot
 * hold and its old verifier checks one by one, and picocli reads every command's annotations before
 * parsing; together that was over a third of the CPU time of {@code devicelogin status} in a JFR
 * profile. Shown by the {@code devicelogin status} row of bench's {@code CliStartup}
 * (bench/RESULTS.md, "Command start-up"). {@code Main} fills in the command object from a {@link
 * Line} as picocli fills it; FastPathTest compares every field.
 */
public final class FastPath {
  private FastPath() {}

  /** The two commands read here. */
  public enum Command {
    STATUS,
    TOKEN
  }

  /**
   * A plain command line, as picocli would have read it.
   *
   * @param profile {@code --profile}, or null when not given
   * @param scope {@code --scope} of {@code token}, or null when not given
   */
  public record Line(Command command, String profile, String scope, boolean json, boolean reveal) {}

  /** The plain status or token command line in {@code args}; empty when picocli must read it. */
  public static Optional<Line> parse(String[] args) {
    if (args.length == 0) {
      return Optional.empty();
    }
    Options options = new Options();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      boolean valued = name.equals("--profile") || name.equals("--scope");
      String value = null;
      if (valued) {
        if (eq >= 0) {
          value = arg.substring(eq + 1);
        } else if (i + 1 < args.length) {
          value = args[++i];
        }
        if (value == null || value.isEmpty() || value.startsWith("-") || value.startsWith("@")) {
          return Optional.empty();
        }
      } else if (eq >= 0) {
        return Optional.empty();
      }
      if (!options.accept(name, value)) {
        return Optional.empty();
      }
    }
    return switch (args[0]) {
      case "status" ->
          options.scope != null || options.reveal
              ? Optional.empty()
              : Optional.of(options.line(Command.STATUS));
      case "token" -> options.json ? Optional.empty() : Optional.of(options.line(Command.TOKEN));
      default -> Optional.empty();
    };
  }

  /** The options seen so far; each at most once. */
  private static final class Options {
    String profile;
    String scope;
    boolean json;
    boolean reveal;

    /** Takes an option; false when it is unknown or seen before. */
    boolean accept(String name, String value) {
      switch (name) {
        case "--profile" -> {
          if (profile != null) {
            return false;
          }
          profile = value;
        }
        case "--scope" -> {
          if (scope != null) {
            return false;
          }
          scope = value;
        }
        case "--json" -> {
          if (json) {
            return false;
          }
          json = true;
        }
        case "--reveal" -> {
          if (reveal) {
            return false;
          }
          reveal = true;
        }
        default -> {
          return false;
        }
      }
      return true;
    }

    Line line(Command command) {
      return new Line(command, profile, scope, json, reveal);
    }
  }
}
