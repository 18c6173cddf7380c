package io.devicelogin.cli;

import io.devicelogin.cli.profile.Profile;
import io.devicelogin.cli.profile.Profiles;
import io.devicelogin.cli.store.TokenStore;
import io.devicelogin.cli.store.TokenStores;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.flow.LoginListener;
import io.devicelogin.client.flow.PollingPolicy;
import io.devicelogin.client.wire.Scope;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code devicelogin token}: a fresh access token on standard output, for a pipe. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    footer = ExitCode.HELP,
    description =
        "Print a fresh access token for piping into another program. Refuses to print it to a"
            + " terminal unless --reveal is given.")
final class TokenCommand implements Callable<Integer> {
  @ParentCommand Main main;
  @Mixin ProfileOption profileOption;

  @Option(
      names = "--scope",
      paramLabel = "\"a b\"",
      description = "Ask for a narrower token for this use only.")
  String scope;

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
    TokenSet token = current(main, profileOption.name(), scope);
    env.out().println(token.accessToken().revealForTransmission());
    return ExitCode.OK;
  }

  /** The profile's access token, refreshed or narrowed as needed; shared with {@code exec}. */
  static TokenSet current(Main main, String name, String scope) {
    Environment env = main.env;
    Profiles profiles = Profiles.open(env.vars());
    Profile profile =
        profiles
            .get(name)
            .orElseThrow(
                () ->
                    new NotLoggedInException(
                        "not logged in (no profile '" + name + "'); run 'devicelogin login'"));
    TokenStore store = TokenStores.openRecorded(profile.store(), env.vars());
    TokenSet held =
        store
            .load(name)
            .orElseThrow(
                () ->
                    new NotLoggedInException(
                        "not logged in; run 'devicelogin login"
                            + (name.equals("default") ? "" : " --profile " + name)
                            + "'"));
    DeviceLogin login = Session.login(profile, env, LoginListener.NONE, PollingPolicy.defaults());
    return Session.fresh(
        login,
        held,
        scopes(scope),
        tokens -> store.save(name, tokens),
        env,
        work -> profiles.whileRefreshing(name, work),
        () -> store.load(name));
  }

  /**
   * The scopes of a {@code --scope} option, separated by spaces; none when it is absent.
   *
   * @throws IllegalArgumentException for a scope that is not one of RFC 6749 §3.3
   */
  static Scope scopes(String scope) {
    return scope == null ? Scope.empty() : Scope.parse(scope.strip());
  }
}
