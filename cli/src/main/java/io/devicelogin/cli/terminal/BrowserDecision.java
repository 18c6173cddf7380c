package io.devicelogin.cli.terminal;

import io.devicelogin.cli.terminal.Platform.Os;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@link BrowserLauncher#open} runs for a URL: these commands in turn until one works, or
 * nothing, and why. In order of precedence ({@link #decide}):
 *
 * <ol>
 *   <li>Only {@code http} and {@code https} URLs with a host, and without spaces or control
 *       characters, are opened. The URL is always one argument of its own; no shell is involved.
 *   <li>{@code BROWSER}, as Python's {@code webbrowser} reads it: commands separated by the path
 *       separator ({@code :}, or {@code ;} on Windows) tried in order; in each, {@code %s} is
 *       replaced by the URL, or the URL is appended. Words are split on spaces, with single or
 *       double quotes for words that contain spaces. An explicit {@code BROWSER} is honoured even
 *       over SSH or without a display: it is how remote setups forward URLs to the person's own
 *       machine (VS Code's remote terminals set it to such a helper), and a command that cannot
 *       work just fails with a hint.
 *   <li>Over SSH ({@code SSH_CONNECTION} or {@code SSH_TTY} set) nothing is opened: a browser on
 *       the remote machine is not in front of the person.
 *   <li>WSL ({@code WSL_DISTRO_NAME} set, or {@code /proc/version} mentions Microsoft): {@code
 *       wslview} when it is installed, then {@code explorer.exe} (whose exit status is 1 even when
 *       it worked, so it is not trusted).
 *   <li>Linux and other Unix: nothing without a display ({@code DISPLAY} and {@code
 *       WAYLAND_DISPLAY} unset), else {@code xdg-open}.
 *   <li>macOS: {@code open}. Windows: {@code rundll32 url.dll,FileProtocolHandler}.
 * </ol>
 *
 * <p>On Linux and other Unix, every command runs under {@code setsid} when that is installed, so
 * that a browser started by the launch is not in the terminal's process group and a Ctrl-C that
 * cancels the login does not close it.
 *
 * @param commands the commands to try in turn; empty when nothing is run
 * @param skipReason why nothing is run, when nothing is
 */
public record BrowserDecision(List<BrowserDecision.Command> commands, Optional<String> skipReason) {

  /**
   * One program to run.
   *
   * @param argv the program and its arguments, the URL among them as one argument
   * @param trustExitStatus whether a non-zero exit status means it failed
   */
  public record Command(List<String> argv, boolean trustExitStatus) {
    public Command {
      argv = List.copyOf(argv);
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("a command needs a program");
      }
    }

    /** The program's name, without {@code setsid} in front. */
    public String program() {
      String first = argv.get(0);
      return first.equals("setsid") && argv.size() > 1 ? argv.get(1) : first;
    }
  }

  public BrowserDecision {
    commands = List.copyOf(commands);
    Objects.requireNonNull(skipReason, "skipReason");
  }

  /** The commands' argument vectors, for tests and diagnostics. */
  public List<List<String>> argvs() {
    return commands.stream().map(Command::argv).toList();
  }

  /** What to run on {@code platform} for {@code url}, without running anything. */
  public static BrowserDecision decide(Platform platform, URI url) {
    Optional<String> problem = unsafe(url);
    if (problem.isPresent()) {
      return skip(problem.get());
    }
    String link = url.toASCIIString();
    List<Command> fromVariable = browserVariable(platform, link);
    if (!fromVariable.isEmpty()) {
      return new BrowserDecision(fromVariable, Optional.empty());
    }
    if (platform.set("SSH_CONNECTION") || platform.set("SSH_TTY")) {
      return skip("this is an SSH session, so a browser here would not be in front of you");
    }
    return switch (platform.os()) {
      case MAC -> run(new Command(List.of("open", link), true));
      case WINDOWS ->
          run(new Command(List.of("rundll32", "url.dll,FileProtocolHandler", link), true));
      default -> {
        if (platform.wsl()) {
          List<Command> commands = new ArrayList<>();
          if (platform.onPath().test("wslview")) {
            commands.add(new Command(detached(platform, List.of("wslview", link)), true));
          }
          commands.add(new Command(detached(platform, List.of("explorer.exe", link)), false));
          yield new BrowserDecision(commands, Optional.empty());
        }
        if (!platform.set("DISPLAY") && !platform.set("WAYLAND_DISPLAY")) {
          yield skip("there is no display (DISPLAY and WAYLAND_DISPLAY are not set)");
        }
        yield run(new Command(detached(platform, List.of("xdg-open", link)), true));
      }
    };
  }

  /** The commands {@code BROWSER} names, the link placed in each; empty when it names none. */
  private static List<Command> browserVariable(Platform platform, String link) {
    String browser = platform.env().get("BROWSER");
    List<Command> commands = new ArrayList<>();
    if (browser == null || browser.isBlank()) {
      return commands;
    }
    String separator = platform.os() == Os.WINDOWS ? ";" : ":";
    for (String entry : browser.split(Pattern.quote(separator))) {
      List<String> words = words(entry);
      if (words.isEmpty()) {
        continue;
      }
      List<String> argv = new ArrayList<>();
      boolean placed = false;
      for (String word : words) {
        if (word.contains("%s")) {
          placed = true;
          argv.add(word.replace("%s", link));
        } else {
          argv.add(word);
        }
      }
      if (!placed) {
        argv.add(link);
      }
      commands.add(new Command(detached(platform, argv), true));
    }
    return commands;
  }

  /** Why {@code url} must not be handed to a program, if it must not. */
  static Optional<String> unsafe(URI url) {
    if (url == null) {
      return Optional.of("there is no link to open");
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return Optional.of("only http and https links are opened");
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      return Optional.of("the link has no host");
    }
    String text = url.toASCIIString();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        return Optional.of("the link contains spaces or control characters");
      }
    }
    return Optional.empty();
  }

  /** Splits a command into words: spaces separate, quotes group, nothing is expanded. */
  static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  private static List<String> detached(Platform platform, List<String> argv) {
    if ((platform.os() == Os.LINUX || platform.os() == Os.OTHER_UNIX)
        && platform.onPath().test("setsid")) {
      List<String> out = new ArrayList<>(argv.size() + 1);
      out.add("setsid");
      out.addAll(argv);
      return List.copyOf(out);
    }
    return List.copyOf(argv);
  }

  private static BrowserDecision skip(String reason) {
    return new BrowserDecision(List.of(), Optional.of(reason));
  }

  private static BrowserDecision run(Command command) {
    return new BrowserDecision(List.of(command), Optional.empty());
  }
}
