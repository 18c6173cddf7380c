package io.devicelogin.cli;

import io.devicelogin.client.TokenSet;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code devicelogin exec -- CMD ARGS…}: runs a command with the access token in its environment
 * only: not in its arguments, not on standard output, not in the shell's history.
 */
@Command(
    name = "exec",
    description =
        "Run CMD with a fresh access token in its environment only (default variable ACCESS_TOKEN)."
            + " Exits with CMD's exit code.")
final class ExecCommand extends ProfileCommand {
  @Mixin NarrowerScope narrower;

  @Option(
      names = "--env",
      paramLabel = "NAME",
      defaultValue = "ACCESS_TOKEN",
      description = "The environment variable that carries the token (default: ${DEFAULT-VALUE}).")
  String variable;

  @Parameters(
      paramLabel = "CMD",
      arity = "1..*",
      description = "The command and its arguments, after --.")
  List<String> command;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (!variable.matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) {
      throw new UsageException("--env needs a variable name such as ACCESS_TOKEN");
    }
    TokenSet token = currentToken(narrower.scopes());
    ProcessBuilder child = new ProcessBuilder(command).inheritIO();
    child.environment().put(variable, token.accessToken().revealForTransmission());
    child.environment().put(variable + "_TYPE", token.tokenType().scheme());
    Process process;
    try {
      process = child.start();
    } catch (IOException e) {
      throw new UsageException("cannot run " + command.get(0) + ": " + e.getMessage());
    }
    return process.waitFor();
  }
}
