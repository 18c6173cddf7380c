package io.devicelogin.cli;

import io.devicelogin.cli.profile.Profile;
import io.devicelogin.cli.profile.Profiles;
import io.devicelogin.cli.store.TokenStore;
import io.devicelogin.cli.store.TokenStores;
import io.devicelogin.cli.terminal.BrowserLauncher;
import io.devicelogin.cli.terminal.CancelOnExit;
import io.devicelogin.cli.terminal.LoginScreen;
import io.devicelogin.cli.terminal.QrMode;
import io.devicelogin.cli.terminal.TerminalInfo;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.flow.PollingPolicy;
import io.devicelogin.client.text.DurationText;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code devicelogin login}: the device flow in the terminal, the approval in a browser. */
@Command(
    name = "login",
    description =
        "Sign in through your browser: shows a code and a link (and a QR code), opens the browser"
            + " when there is one, and waits for your approval. The tokens go to a secure store, never to a file.")
final class LoginCommand extends ProfileCommand {
  @Mixin LoginOptions options;

  @Option(
      names = "--issuer",
      paramLabel = "URL",
      description = "The authorization server (discovered from its metadata).")
  String issuer;

  @Option(
      names = "--provider",
      paramLabel = "NAME",
      description = "github, workos, entra or google, instead of --issuer.")
  String provider;

  @Option(
      names = "--client-id",
      paramLabel = "ID",
      description = "The client id (default for --issuer: devicelogin-cli).")
  String clientId;

  @Option(
      names = "--scope",
      paramLabel = "\"a b\"",
      description = "The scopes to ask for, separated by spaces.")
  String scope;

  @Option(
      names = "--qr",
      negatable = true,
      description =
          "Show (or with --no-qr, never show) a QR code of the link."
              + " By default it is shown when the terminal is wide enough.")
  Boolean qr;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description =
          "Give up after this long, e.g. 10m, 90s or 1d (default: when the code expires).")
  String timeout;

  @Option(
      names = "--device-name",
      paramLabel = "NAME",
      description =
          "How the person approving sees this machine (default: host name and OS, or"
              + " DEVICELOGIN_DEVICE_NAME; '-' sends none).")
  String deviceName;

  @Option(
      names = "--json",
      description =
          "Write one JSON object per line on standard output: the code, then the outcome.")
  boolean json;

  @Override
  public Integer call() {
    Environment env = main.env;
    Profiles profiles = Profiles.open(env.vars());
    String name = profileOption.name();
    Optional<Profile> existing = profiles.get(name);
    if (issuer != null && provider != null) {
      throw new UsageException("give --issuer or --provider, not both");
    }
    Optional<String> iss =
        Optional.ofNullable(issuer)
            .or(() -> provider == null ? existing.flatMap(Profile::issuer) : Optional.empty());
    Optional<String> prov =
        Optional.ofNullable(provider)
            .or(() -> issuer == null ? existing.flatMap(Profile::provider) : Optional.empty());
    if (iss.isEmpty() && prov.isEmpty()) {
      throw new UsageException(
          "where to log in? give --issuer URL (a devicelogin or other OAuth server) or"
              + " --provider github|workos|entra|google");
    }
    iss.ifPresent(LoginCommand::checkIssuer);
    String client =
        Optional.ofNullable(clientId)
            .or(() -> existing.map(Profile::clientId))
            .orElseGet(
                () -> {
                  if (prov.isPresent()) {
                    throw new UsageException(
                        "--provider "
                            + prov.get()
                            + " needs --client-id (your app's client id there)");
                  }
                  return "devicelogin-cli";
                });
    List<String> scopes =
        scope != null
            ? Session.scopes(scope).tokens()
            : existing.map(Profile::scopes).orElse(List.of());
    Profile profile =
        new Profile(
            name, iss, prov, client, scopes, options.store(existing.flatMap(Profile::store)));
    Duration limit = timeout == null ? null : timeout(timeout);
    return run(
        env, profiles, profile, new Terminal(options.noBrowser, qr, limit, json, deviceName));
  }

  /**
   * How the login behaves in the terminal.
   *
   * @param deviceName {@code --device-name}, null for {@link ThisDevice}'s
   */
  record Terminal(
      boolean noBrowser, Boolean qr, Duration timeout, boolean json, String deviceName) {
    Terminal(boolean noBrowser, Boolean qr, Duration timeout, boolean json) {
      this(noBrowser, qr, timeout, json, null);
    }
  }

  /** Logs in with {@code profile} and stores the tokens; shared with {@code demo}. */
  static int run(Environment env, Profiles profiles, Profile profile, Terminal terminal) {
    TokenStore tokenStore = TokenStores.open(profile.store(), env.vars());
    LoginScreen screen =
        LoginScreen.builder(env.err())
            .noBrowser(terminal.noBrowser())
            .qr(QrMode.of(terminal.qr()))
            .terminal(TerminalInfo.detect(env.vars()))
            .launcher(BrowserLauncher.system(env.vars()))
            .clock(env.clock())
            .build();
    JsonLines jsonOut = terminal.json() ? new JsonLines(env.out(), screen) : null;
    PollingPolicy polling =
        terminal.timeout() == null
            ? PollingPolicy.defaults()
            : PollingPolicy.defaults().withMaximumWait(terminal.timeout());
    // Only an issuer (devicelogin, or another server, which ignores it) is told the host's name: a
    // hosted provider has no use for it.
    Optional<String> deviceName =
        profile.issuer().isPresent()
            ? ThisDevice.name(env, terminal.deviceName())
            : Optional.empty();
    DeviceLogin login =
        Session.login(profile, env, jsonOut == null ? screen : jsonOut, polling, deviceName);

    CancelOnExit ctrlC = CancelOnExit.install(Duration.ofSeconds(3));
    try {
      DeviceAuthorization code = login.start(ctrlC.cancellation());
      TokenSet tokens = login.await(code, ctrlC.cancellation());
      String subject = Session.discoverSubject(login, tokens).orElse(null);
      tokenStore.save(profile.name(), Session.withSubject(tokens, subject));
      // Remember which store holds the tokens, so later commands look there (and skip the probe).
      profiles.put(
          new Profile(
              profile.name(),
              profile.issuer(),
              profile.provider(),
              profile.clientId(),
              profile.scopes(),
              Optional.of(tokenStore.kind())));
      screen.close();
      env.err().println();
      env.err()
          .println(
              "Logged in"
                  + (subject == null ? "" : " as " + subject)
                  + " to "
                  + profile.issuer().or(profile::provider).orElse("?")
                  + ". Scopes: "
                  + tokens.scope().format()
                  + ". Tokens are kept in "
                  + tokenStore.location()
                  + ".");
      if (jsonOut != null) {
        jsonOut.approved(
            subject, tokens.scope(), tokens.expiresAt().orElse(null), tokenStore.kind());
      }
      return ExitCode.OK;
    } catch (RuntimeException e) {
      screen.close();
      Outcome outcome = Outcome.of(e);
      env.err().println("devicelogin: " + outcome.message(e));
      if (jsonOut != null) {
        jsonOut.failed(outcome.name(e), Outcome.detail(e), outcome.exitCode());
      }
      return outcome.exitCode();
    } finally {
      screen.close();
      ctrlC.close();
    }
  }

  private static void checkIssuer(String issuer) {
    if (!issuer.startsWith("https://") && !issuer.startsWith("http://")) {
      throw new UsageException(
          "--issuer must be an http(s) URL, such as https://login.example.com");
    }
  }

  /**
   * {@code --timeout}: a duration as the server's configuration file and the agent's idle timeout
   * read it ({@link DurationText}); anything else is a usage error that shows the forms that work.
   */
  static Duration timeout(String text) {
    try {
      return DurationText.parsePositive("--timeout", text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
