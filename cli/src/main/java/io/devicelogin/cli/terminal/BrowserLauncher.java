package io.devicelogin.cli.terminal;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Opens a web page in the person's browser, or says why it did not. Never throws for a launch that
 * fails: a login goes on without a browser, so the caller gets a {@link Result} whose message it
 * can show.
 *
 * <p>What runs, in order of precedence ({@link #decide}):
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
 * cancels the login does not close it. A command that is still running after a short grace period
 * counts as opened (some {@code xdg-open} set-ups wait for the browser to exit); one that ends
 * within it must end with status 0.
 */
public final class BrowserLauncher {
  /** How long a launch command may take before it counts as a browser that is running. */
  public static final Duration GRACE = Duration.ofMillis(1500);

  private final Platform platform;
  private final ProcessRunner runner;

  /** For tests: decides from {@code platform} and runs commands through {@code runner}. */
  public BrowserLauncher(Platform platform, ProcessRunner runner) {
    this.platform = Objects.requireNonNull(platform, "platform");
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  /** The launcher for this machine, this process's environment and real processes. */
  public static BrowserLauncher system() {
    return new BrowserLauncher(Platform.current(), ProcessRunner.system());
  }

  /**
   * The launcher for this machine and real processes, with {@code env} standing for the environment
   * (a command that takes its environment as a map passes it here).
   */
  public static BrowserLauncher system(Map<String, String> env) {
    Platform here = Platform.current();
    return new BrowserLauncher(
        new Platform(here.os(), env, here.procVersion(), Platform.onPathOf(env)),
        ProcessRunner.system());
  }

  /** Decides what would run for {@code url}, without running anything. */
  public Decision decide(URI url) {
    Optional<String> problem = unsafe(url);
    if (problem.isPresent()) {
      return Decision.skip(problem.get());
    }
    String link = url.toASCIIString();
    Map<String, String> env = platform.env();
    String browser = env.get("BROWSER");
    if (browser != null && !browser.isBlank()) {
      List<Command> commands = new ArrayList<>();
      String separator = platform.os() == Os.WINDOWS ? ";" : ":";
      for (String entry : browser.split(java.util.regex.Pattern.quote(separator))) {
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
        commands.add(new Command(detached(argv), true));
      }
      if (!commands.isEmpty()) {
        return new Decision(commands, Optional.empty());
      }
    }
    if (set(env, "SSH_CONNECTION") || set(env, "SSH_TTY")) {
      return Decision.skip(
          "this is an SSH session, so a browser here would not be in front of you");
    }
    switch (platform.os()) {
      case MAC:
        return Decision.run(new Command(List.of("open", link), true));
      case WINDOWS:
        return Decision.run(
            new Command(List.of("rundll32", "url.dll,FileProtocolHandler", link), true));
      default:
        if (platform.wsl()) {
          List<Command> commands = new ArrayList<>();
          if (platform.onPath().test("wslview")) {
            commands.add(new Command(detached(List.of("wslview", link)), true));
          }
          commands.add(new Command(detached(List.of("explorer.exe", link)), false));
          return new Decision(commands, Optional.empty());
        }
        if (!set(env, "DISPLAY") && !set(env, "WAYLAND_DISPLAY")) {
          return Decision.skip("there is no display (DISPLAY and WAYLAND_DISPLAY are not set)");
        }
        return Decision.run(new Command(detached(List.of("xdg-open", link)), true));
    }
  }

  /**
   * Opens {@code url}: runs the commands {@link #decide} chose until one works.
   *
   * @return {@link Result.Status#OPENED}, or why not; never throws for a failed launch
   */
  public Result open(URI url) {
    Decision decision = decide(url);
    if (decision.commands().isEmpty()) {
      return new Result(Result.Status.SKIPPED, decision.skipReason().orElse("nothing to run"));
    }
    String lastFailure = "";
    for (Command command : decision.commands()) {
      String name = command.program();
      try {
        OptionalInt exit = runner.start(command.argv(), GRACE);
        if (exit.isEmpty() || exit.getAsInt() == 0 || !command.trustExitStatus()) {
          return new Result(Result.Status.OPENED, "opened with " + name);
        }
        lastFailure = name + " exited with status " + exit.getAsInt();
      } catch (IOException e) {
        lastFailure = "could not run " + name;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Result(Result.Status.FAILED, "interrupted while starting " + name);
      } catch (RuntimeException e) {
        lastFailure = "could not run " + name;
      }
    }
    return new Result(Result.Status.FAILED, lastFailure);
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

  private List<String> detached(List<String> argv) {
    if ((platform.os() == Os.LINUX || platform.os() == Os.OTHER_UNIX)
        && platform.onPath().test("setsid")) {
      List<String> out = new ArrayList<>(argv.size() + 1);
      out.add("setsid");
      out.addAll(argv);
      return List.copyOf(out);
    }
    return List.copyOf(argv);
  }

  private static boolean set(Map<String, String> env, String name) {
    String value = env.get(name);
    return value != null && !value.isEmpty();
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

  /**
   * The facts a launch depends on.
   *
   * @param os the operating system
   * @param env the environment
   * @param procVersion the contents of {@code /proc/version}, empty where there is none
   * @param onPath whether a program of that name is on {@code PATH}
   */
  public record Platform(
      Os os, Map<String, String> env, String procVersion, Predicate<String> onPath) {
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
      Os os = Os.fromName(System.getProperty("os.name"));
      Map<String, String> env = System.getenv();
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

    static Predicate<String> onPathOf(Map<String, String> env) {
      String path = env.getOrDefault("PATH", "");
      return program -> onPath(path, program);
    }

    private static boolean onPath(String path, String program) {
      for (String dir : path.split(java.util.regex.Pattern.quote(File.pathSeparator))) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
          return true;
        }
      }
      return false;
    }
  }

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

  /**
   * What {@link #open} would do: run these commands in turn until one works, or nothing, and why.
   */
  public record Decision(List<Command> commands, Optional<String> skipReason) {
    public Decision {
      commands = List.copyOf(commands);
      Objects.requireNonNull(skipReason, "skipReason");
    }

    static Decision skip(String reason) {
      return new Decision(List.of(), Optional.of(reason));
    }

    static Decision run(Command command) {
      return new Decision(List.of(command), Optional.empty());
    }

    /** The commands' argument vectors, for tests and diagnostics. */
    public List<List<String>> argvs() {
      return commands.stream().map(Command::argv).toList();
    }
  }

  /**
   * How a launch went.
   *
   * @param status opened, not tried, or tried and failed
   * @param message for a person: which program opened it, why nothing was tried, or what failed
   */
  public record Result(Status status, String message) {
    public enum Status {
      OPENED,
      SKIPPED,
      FAILED
    }

    public Result {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(message, "message");
    }

    public boolean opened() {
      return status == Status.OPENED;
    }

    /** Why the page was not opened; empty when it was. */
    public Optional<String> hint() {
      return opened() ? Optional.empty() : Optional.of(message);
    }
  }

  /** Starts programs; tests record instead. */
  @FunctionalInterface
  public interface ProcessRunner {
    /**
     * Starts {@code argv} directly (no shell), with no input and its output discarded, and waits at
     * most {@code grace} for it to end.
     *
     * @return its exit status if it ended within {@code grace}, empty if it still runs (it is left
     *     running)
     * @throws IOException if it could not be started
     */
    OptionalInt start(List<String> argv, Duration grace) throws IOException, InterruptedException;

    /** Real processes. */
    static ProcessRunner system() {
      return (argv, grace) -> {
        Process process =
            new ProcessBuilder(argv)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        // A browser must not read the terminal the login is drawn on: its standard input is empty.
        process.getOutputStream().close();
        if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          return OptionalInt.of(process.exitValue());
        }
        return OptionalInt.empty();
      };
    }
  }
}
