package io.devicelogin.cli;

import io.devicelogin.server.ServerMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Unmatched;

/** {@code devicelogin server …}: the authorization server, with the server's own options. */
@Command(
    name = "server",
    mixinStandardHelpOptions = false,
    description =
        "Start the devicelogin authorization server (options as 'java -jar devicelogin-server.jar';"
            + " see 'devicelogin server --help'), or manage its people: 'devicelogin server users'.",
    subcommands = {UsersCommand.class})
final class ServerCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    int code = ServerMain.run(args, main.env.vars(), main.env.out(), main.env.err());
    if (code != 0 || args.contains("--help") || args.contains("-h")) {
      return code;
    }
    // The server runs on its own threads until the process is stopped (Ctrl-C or SIGTERM).
    Thread.currentThread().join();
    return ExitCode.OK;
  }
}
