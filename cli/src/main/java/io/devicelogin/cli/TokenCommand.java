package io.devicelogin.cli;

import io.devicelogin.client.TokenSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code devicelogin token}: a fresh access token on standard output, for a pipe. */
@Command(
    name = "token",
    description =
        "Print a fresh access token for piping into another program. Refuses to print it to a"
            + " terminal unless --reveal is given.")
final class TokenCommand extends ProfileCommand {
  @Mixin NarrowerScope narrower;

  @Option(
      names = "--reveal",
      description = "Print the token even when standard output is a terminal.")
  boolean reveal;

  @Override
  public Integer call() {
    Environment env = main.env;
    if (env.stdoutIsTerminal() && !reveal) {
      env.err()
          .println(
              "devicelogin: refusing to print a token to a terminal, where it would stay in the"
                  + " scrollback; pipe it (devicelogin token | program), use 'devicelogin exec -- program', or add --reveal");
      return ExitCode.USAGE;
    }
    TokenSet token = currentToken(narrower.scopes());
    env.out().println(token.accessToken().revealForTransmission());
    return ExitCode.OK;
  }
}
