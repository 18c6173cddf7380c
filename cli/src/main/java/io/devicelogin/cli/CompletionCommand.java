package io.devicelogin.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code devicelogin completion bash|zsh}: a completion script on standard output. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description =
        "Print a shell completion script: eval \"$(devicelogin completion bash)\" (zsh: the same with zsh).")
final class CompletionCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh")
  String shell;

  @Override
  public Integer call() {
    String script = AutoComplete.bash("devicelogin", Main.commandLine(new Main(main.env)));
    switch (shell) {
      case "bash" -> main.env.out().print(script);
      case "zsh" -> {
        main.env.out().println("autoload -U +X compinit && compinit");
        main.env.out().println("autoload -U +X bashcompinit && bashcompinit");
        main.env.out().print(script);
      }
      default ->
          throw new UsageException("completion is available for bash and zsh, not '" + shell + "'");
    }
    return ExitCode.OK;
  }
}
