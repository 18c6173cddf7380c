package io.devicelogin.cli;

import io.devicelogin.cli.profile.Profile;
import io.devicelogin.cli.profile.Profiles;
import io.devicelogin.cli.store.TokenStore;
import io.devicelogin.cli.store.TokenStores;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.DeviceLoginException;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.flow.LoginListener;
import io.devicelogin.client.flow.PollingPolicy;
import io.devicelogin.client.tokens.RevocationReport;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code devicelogin logout}: revokes at the server (RFC 7009), then wipes local state. If the
 * server cannot be reached it still wipes, and says the grant may still be live.
 */
@Command(
    name = "logout",
    description =
        "Revoke the login at the server, then forget its tokens here. Forgets them even when the"
            + " server cannot be reached, and then says so.")
final class LogoutCommand extends ProfileCommand {

  @Option(names = "--all", description = "Log out of every profile.")
  boolean all;

  @Override
  public Integer call() {
    Environment env = main.env;
    Profiles profiles = Profiles.open(env.vars());
    List<Profile> targets = all ? profiles.list() : List.of(profileIn(profiles, ""));
    boolean allRevoked = true;
    for (Profile profile : targets) {
      allRevoked &= logout(env, profile);
    }
    if (all) {
      TokenStores.stopAgent(env.vars());
    }
    return allRevoked ? ExitCode.OK : ExitCode.SERVER_UNREACHABLE;
  }

  private static boolean logout(Environment env, Profile profile) {
    TokenStore store = TokenStores.open(profile.store(), env.vars());
    Optional<TokenSet> tokens = store.load(profile.name());
    if (tokens.isEmpty()) {
      env.err().println("Profile " + profile.name() + ": not logged in; nothing to revoke.");
      return true;
    }
    String where = profile.issuer().or(profile::provider).orElse("the server");
    RevocationReport report;
    try {
      DeviceLogin login = Session.login(profile, env, LoginListener.NONE, PollingPolicy.defaults());
      report = login.revoke(tokens.get());
    } catch (DeviceLoginException e) {
      report = null;
      env.err()
          .println(
              "Profile "
                  + profile.name()
                  + ": could not reach "
                  + where
                  + " ("
                  + e.getMessage()
                  + ").");
    } finally {
      // Whatever the server said, nothing is kept here.
      store.delete(profile.name());
    }
    if (report != null && report.complete()) {
      env.err()
          .println("Profile " + profile.name() + ": logged out; the server revoked the grant.");
      return true;
    }
    if (report != null
        && report.outcomes().stream()
            .allMatch(o -> o.status() == RevocationReport.Status.NOT_SUPPORTED)) {
      env.err()
          .println(
              "Profile "
                  + profile.name()
                  + ": tokens forgotten here; "
                  + where
                  + " offers no revocation, so the grant stays valid until it expires or you revoke it there.");
      return true;
    }
    env.err()
        .println(
            "Profile "
                + profile.name()
                + ": tokens forgotten here, but the grant may still be live at "
                + where
                + "; revoke it there (for a devicelogin server: its /account page).");
    return false;
  }
}
