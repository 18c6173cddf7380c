package io.devicelogin.cli;

import io.devicelogin.cli.profile.Profile;
import io.devicelogin.cli.profile.Profiles;
import io.devicelogin.cli.store.TokenStore;
import io.devicelogin.cli.store.TokenStores;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.flow.LoginListener;
import io.devicelogin.client.flow.PollingPolicy;
import io.devicelogin.server.DeviceLoginServer;
import io.devicelogin.server.ServerConfig;
import io.devicelogin.server.startup.StartupException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code devicelogin demo}: the whole flow on one machine: an embedded server with a demo user, a
 * login against it, {@code status}, and the server's {@code /userinfo} called by a child process
 * that receives the token in its environment only.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    footer = ExitCode.HELP,
    description =
        "Start an embedded server with a demo user, log in against it in this terminal, show the"
            + " status and call the server's /userinfo with the token passed the way 'exec' passes it.")
final class DemoCommand implements Callable<Integer> {
  static final String PROFILE = "demo";

  @ParentCommand Main main;

  @Mixin LoginOptions options;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "0",
      description = "The server's port (default: a free one).")
  int port;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Environment env = main.env;
    Optional<String> store = options.store(Optional.empty());
    Path dataDir = Files.createTempDirectory("devicelogin-demo");
    env.out().println("Starting a devicelogin server for the demo (data in " + dataDir + ") …");
    DeviceLoginServer server;
    try {
      server =
          DeviceLoginServer.start(
              ServerConfig.parse(
                  List.of(
                      "--port", Integer.toString(port), "--data-dir", dataDir.toString(), "--demo"),
                  env.vars()),
              Clock.systemUTC(),
              new SecureRandom(),
              env.out());
    } catch (IllegalArgumentException | StartupException e) {
      throw new UsageException("cannot start the demo server: " + e.getMessage());
    }
    try {
      env.out().println();
      env.out()
          .println("Sign in as the demo user above when the browser asks. Step 1 of 3: log in.");
      env.out().println();
      Profiles profiles = Profiles.open(env.vars());
      Profile profile =
          new Profile(
              PROFILE,
              Optional.of(server.issuer()),
              Optional.empty(),
              "devicelogin-cli",
              List.of("openid", "profile", "email", "offline_access"),
              store);
      int login =
          LoginCommand.run(
              env,
              profiles,
              profile,
              new LoginCommand.Terminal(options.noBrowser, null, null, false));
      if (login != ExitCode.OK) {
        return login;
      }
      env.out().println();
      env.out().println("Step 2 of 3: devicelogin status --profile demo");
      Main.run(new String[] {"status", "--profile", PROFILE}, env);
      env.out().println();
      env.out()
          .println(
              "Step 3 of 3: devicelogin exec --profile demo -- <a program that calls "
                  + server.issuer()
                  + "/userinfo with $ACCESS_TOKEN>");
      int probe =
          callUserinfo(env, profiles.get(PROFILE).orElseThrow(), server.issuer() + "/userinfo");
      env.out().println();
      env.out()
          .println(
              probe == 0
                  ? "Done. The token never appeared on screen, in a file or in a command line."
                  : "The /userinfo call failed (exit " + probe + ").");
      return probe == 0 ? ExitCode.OK : ExitCode.UNEXPECTED;
    } finally {
      forget(env);
      server.close();
      deleteQuietly(dataDir);
    }
  }

  /** Runs {@link UserinfoProbe} in a child JVM with the token in its environment only. */
  private static int callUserinfo(Environment env, Profile profile, String userinfo)
      throws IOException, InterruptedException {
    TokenStore store = TokenStores.open(profile.store(), env.vars());
    TokenSet tokens =
        store
            .load(PROFILE)
            .orElseThrow(() -> new NotLoggedInException("the demo login was not stored"));
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder child =
        new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            UserinfoProbe.class.getName(),
            userinfo);
    child.environment().put("ACCESS_TOKEN", tokens.accessToken().revealForTransmission());
    child.redirectErrorStream(true);
    Process process = child.start();
    try (BufferedReader reader = process.inputReader()) {
      reader.lines().forEach(line -> env.out().println("  " + line));
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return ExitCode.UNEXPECTED;
    }
    return process.exitValue();
  }

  /** The demo server goes away with the demo: so do its tokens and profile. */
  private static void forget(Environment env) {
    try {
      Profiles profiles = Profiles.open(env.vars());
      Optional<Profile> profile = profiles.get(PROFILE);
      if (profile.isPresent()) {
        TokenStore store = TokenStores.open(profile.get().store(), env.vars());
        Optional<TokenSet> tokens = store.load(PROFILE);
        if (tokens.isPresent()) {
          DeviceLogin login =
              Session.login(profile.get(), env, LoginListener.NONE, PollingPolicy.defaults());
          login.revoke(tokens.get());
        }
        store.delete(PROFILE);
        profiles.remove(PROFILE);
      }
    } catch (RuntimeException e) {
      env.err().println("devicelogin: could not clean up the demo login: " + Outcome.detail(e));
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // A temporary directory left behind is harmless.
    }
  }
}
