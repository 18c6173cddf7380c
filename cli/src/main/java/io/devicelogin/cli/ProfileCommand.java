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
import picocli.CommandLine.ParentCommand;

/**
 * What the commands that act on one login share: {@code --help} and {@code --version}, the exit
 * codes under the help, and {@code --profile}. Picocli reads the annotations of this class for each
 * subclass.
 */
@Command(mixinStandardHelpOptions = true, footer = ExitCode.HELP)
abstract class ProfileCommand implements Callable<Integer> {
  @ParentCommand Main main;
  @Mixin ProfileOption profileOption;

  /**
   * The profile {@code --profile} names; not logged in, with {@code advice}, when there is none.
   */
  Profile profileIn(Profiles profiles, String advice) {
    String name = profileOption.name();
    return profiles
        .get(name)
        .orElseThrow(
            () -> new NotLoggedInException("not logged in (no profile '" + name + "')" + advice));
  }

  /**
   * The profile's access token to use now ({@code token} and {@code exec}): refreshed, or narrowed
   * to {@code scopes}, as {@link Session#fresh} says, one refresh per profile at a time.
   */
  TokenSet currentToken(Scope scopes) {
    Environment env = main.env;
    Profiles profiles = Profiles.open(env.vars());
    Profile profile = profileIn(profiles, "; run 'devicelogin login'");
    String name = profile.name();
    TokenStore store = TokenStores.openRecorded(profile.store(), env.vars());
    TokenSet held =
        store
            .load(name)
            .orElseThrow(
                () ->
                    new NotLoggedInException(
                        "not logged in; run '" + profileOption.loginCommand() + "'"));
    DeviceLogin login = Session.login(profile, env, LoginListener.NONE, PollingPolicy.defaults());
    return Session.fresh(
        login,
        held,
        scopes,
        tokens -> store.save(name, tokens),
        env,
        work -> profiles.whileRefreshing(name, work),
        () -> store.load(name));
  }
}
