package io.devicelogin.cli;

import io.devicelogin.cli.startup.FastPath;
import io.devicelogin.cli.startup.HttpClientSelectors;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
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
    HttpClientSelectors.stop();
    // The demo and server commands leave non-daemon threads behind on purpose only while they run.
    System.exit(code);
  }

  /** Runs a command line and returns its exit code; never throws. */
  public static int run(String[] args, Environment env) {
    Main main = new Main(env);
    Optional<FastPath.Line> plain = FastPath.parse(args);
    if (plain.isPresent()) {
      // As CommandLine.execute runs it with the handlers of commandLine(main), without picocli.
      try {
        return main.command(plain.get()).call();
      } catch (Exception e) {
        return failed(main, e);
      }
    }
    return commandLine(main).execute(args);
  }

  /** The command object of a plain command line, filled in as picocli fills it (FastPathTest). */
  Callable<Integer> command(FastPath.Line line) {
    ProfileOption profile = ProfileOption.named(line.profile());
    return switch (line.command()) {
      case STATUS -> {
        StatusCommand status = new StatusCommand();
        status.main = this;
        status.profileOption = profile;
        status.json = line.json();
        yield status;
      }
      case TOKEN -> {
        TokenCommand token = new TokenCommand();
        token.main = this;
        token.profileOption = profile;
        token.narrower = NarrowerScope.of(line.scope());
        token.reveal = line.reveal();
        yield token;
      }
    };
  }

  static CommandLine commandLine(Main main) {
    CommandLine cli = new CommandLine(main);
    cli.setOut(new PrintWriter(main.env.out(), true));
    cli.setErr(new PrintWriter(main.env.err(), true));
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
