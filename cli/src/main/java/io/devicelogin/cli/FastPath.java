package io.devicelogin.cli;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The plain command lines of {@code status} and {@code token}, the commands scripts run most, run
 * without picocli: {@code status [--json] [--profile NAME]} and {@code token [--reveal] [--scope S]
 * [--profile NAME]}, each option at most once, {@code --name value} or {@code --name=value}.
 * Anything else, including {@code --help}, an unknown or repeated option, a value that starts with
 * {@code -} or an {@code @file} argument, goes to picocli, which parses and reports it.
 *
 * <p>Why: picocli's classes are Java 5 class files, which the JDK's class-data archive cannot hold
 * and its old verifier checks one by one, and picocli reads every command's annotations before
 * parsing; together that was over a third of the CPU time of {@code devicelogin status}. The
 * command object is filled in as picocli fills it (FastPathTest compares every field) and runs with
 * the same handling of failures as {@link Main#commandLine}.
 */
final class FastPath {
  private FastPath() {}

  /** The exit code of a plain status or token command line; empty when picocli must handle it. */
  static Optional<Integer> run(Main main, String[] args) {
    return parse(main, args).map(command -> execute(main, command));
  }

  /**
   * The command object for a plain command line, filled in as picocli would; empty for any other.
   */
  static Optional<Callable<Integer>> parse(Main main, String[] args) {
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
    ProfileOption profile = new ProfileOption();
    profile.name = options.profile == null ? "default" : options.profile;
    switch (args[0]) {
      case "status":
        if (options.scope != null || options.reveal) {
          return Optional.empty();
        }
        StatusCommand status = new StatusCommand();
        status.main = main;
        status.profileOption = profile;
        status.json = options.json;
        return Optional.of(status);
      case "token":
        if (options.json) {
          return Optional.empty();
        }
        TokenCommand token = new TokenCommand();
        token.main = main;
        token.profileOption = profile;
        token.scope = options.scope;
        token.reveal = options.reveal;
        return Optional.of(token);
      default:
        return Optional.empty();
    }
  }

  /**
   * Runs a command as {@code CommandLine.execute} does with the handlers of {@link
   * Main#commandLine}.
   */
  private static int execute(Main main, Callable<Integer> command) {
    try {
      return command.call();
    } catch (Exception e) {
      return Main.failed(main, e);
    }
  }

  /** The options seen so far; each at most once. */
  private static final class Options {
    String profile;
    String scope;
    boolean json;
    boolean reveal;

    boolean accept(String name, String value) {
      switch (name) {
        case "--profile":
          if (profile != null) {
            return false;
          }
          profile = value;
          return true;
        case "--scope":
          if (scope != null) {
            return false;
          }
          scope = value;
          return true;
        case "--json":
          if (json) {
            return false;
          }
          json = true;
          return true;
        case "--reveal":
          if (reveal) {
            return false;
          }
          reveal = true;
          return true;
        default:
          return false;
      }
    }
  }
}
