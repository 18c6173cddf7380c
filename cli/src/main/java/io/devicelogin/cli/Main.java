package io.devicelogin.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code devicelogin}: terminal login through the browser that keeps tokens out of sight. */
@Command(
    name = "devicelogin",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Sign in from a terminal through your browser (OAuth 2.0 device authorization grant),"
            + " and keep the tokens out of logs, history and files.",
    footer = ExitCode.HELP,
    subcommands = {
      LoginCommand.class,
      StatusCommand.class,
      TokenCommand.class,
      ExecCommand.class,
      LogoutCommand.class,
      ServerCommand.class,
      DemoCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  final Environment env;

  Main(Environment env) {
    this.env = env;
  }

  public static void main(String[] args) {
    int code = run(args, Environment.system());
    System.out.flush();
    System.err.flush();
    stopHttpClientSelectors();
    // The demo and server commands leave non-daemon threads behind on purpose only while they run.
    System.exit(code);
  }

  /**
   * Lets the JDK's HTTP clients stop their selector threads before the JVM exits. The exit waits up
   * to 300 ms for every thread that is inside native code
   * (VM_Exit::wait_for_threads_in_native_to_block), and an HttpClient's selector thread sits in
   * epoll_wait until its client is garbage collected: that was a third of the wall time of {@code
   * devicelogin token}. Java 17's HttpClient has no close(); an interrupt is what ends its selector
   * loop (the thread checks for it, and the select wakes up). The threads are found by the name the
   * JDK gives them; should that change, the exit is only slower.
   */
  static void stopHttpClientSelectors() {
    httpClientSelectors().forEach(Thread::interrupt);
  }

  /** The selector threads of the JDK's HTTP clients in this JVM. */
  static List<Thread> httpClientSelectors() {
    Thread[] threads = new Thread[Thread.activeCount() + 16];
    int n = Thread.enumerate(threads);
    List<Thread> selectors = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = threads[i].getName();
      if (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager")) {
        selectors.add(threads[i]);
      }
    }
    return selectors;
  }

  /** Runs a command line and returns its exit code; never throws. */
  public static int run(String[] args, Environment env) {
    Main main = new Main(env);
    Optional<Integer> quick = FastPath.run(main, args);
    if (quick.isPresent()) {
      return quick.get();
    }
    CommandLine cli = commandLine(main);
    return cli.execute(args);
  }

  static CommandLine commandLine(Main main) {
    CommandLine cli = new CommandLine(main);
    cli.setOut(new java.io.PrintWriter(main.env.out(), true));
    cli.setErr(new java.io.PrintWriter(main.env.err(), true));
    cli.setExitCodeExceptionMapper(e -> Outcome.of(e).exitCode());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failed(main, e));
    cli.setParameterExceptionHandler(
        (e, args) -> {
          main.env.err().println("devicelogin: " + e.getMessage());
          main.env
              .err()
              .println(
                  "Run '"
                      + e.getCommandLine().getCommandSpec().qualifiedName()
                      + " --help' for usage.");
          return ExitCode.USAGE;
        });
    return cli;
  }

  /** A command failed: says why on standard error; returns the exit code. */
  static int failed(Main main, Exception e) {
    Outcome outcome = Outcome.of(e);
    main.env.err().println("devicelogin: " + outcome.message(e));
    return outcome.exitCode();
  }

  @Override
  public void run() {
    CommandLine.usage(this, env.err());
  }

  /** The version, from the jar's manifest when packaged. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"devicelogin " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
  }
}
