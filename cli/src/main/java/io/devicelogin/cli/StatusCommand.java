package io.devicelogin.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.cli.profile.Profile;
import io.devicelogin.cli.profile.Profiles;
import io.devicelogin.cli.store.TokenStore;
import io.devicelogin.cli.store.TokenStores;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.wire.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code devicelogin status}: who is logged in, where the tokens are; never a token. */
@Command(
    name = "status",
    description =
        "Show the login of a profile: issuer, client, subject, scopes, expiry, where the tokens are kept."
            + " Never shows a token.")
final class StatusCommand extends ProfileCommand {

  @Option(names = "--json", description = "One JSON object on standard output.")
  boolean json;

  @Override
  public Integer call() {
    Environment env = main.env;
    String name = profileOption.name();
    Profile profile = profileIn(Profiles.open(env.vars()), "; run 'devicelogin login'");
    TokenStore store = TokenStores.openRecorded(profile.store(), env.vars());
    Optional<TokenSet> tokens = store.load(name);
    if (json) {
      ObjectNode out = Json.newObject().put("profile", name).put("logged_in", tokens.isPresent());
      profile.issuer().ifPresent(i -> out.put("issuer", i));
      profile.provider().ifPresent(p -> out.put("provider", p));
      out.put("client_id", profile.clientId());
      tokens.ifPresent(
          t -> {
            Optional.ofNullable(Session.subjectOf(t)).ifPresent(s -> out.put("subject", s));
            out.put("scope", t.scope().format());
            t.expiresAt().ifPresent(e -> out.put("access_token_expires_at", e.toString()));
            out.put("refresh_token", t.refreshToken().isPresent());
          });
      out.put("store", store.kind()).put("store_location", store.location());
      env.out().println(Json.write(out));
      return tokens.isPresent() ? ExitCode.OK : ExitCode.NOT_LOGGED_IN;
    }
    env.out().println("Profile:   " + name);
    env.out().println("Issuer:    " + profile.issuer().or(profile::provider).orElse("?"));
    env.out().println("Client:    " + profile.clientId());
    if (tokens.isEmpty()) {
      env.out().println("Status:    not logged in (run '" + profileOption.loginCommand() + "')");
      env.out().println("Store:     " + store.kind() + " — " + store.location());
      return ExitCode.NOT_LOGGED_IN;
    }
    TokenSet t = tokens.get();
    env.out()
        .println("Subject:   " + Optional.ofNullable(Session.subjectOf(t)).orElse("(unknown)"));
    env.out().println("Scopes:    " + t.scope().format());
    env.out()
        .println(
            "Access:    "
                + t.expiresAt()
                    .map(e -> describe(e, env.clock().instant()))
                    .orElse("no expiry given"));
    env.out()
        .println(
            "Refresh:   "
                + (t.refreshToken().isPresent()
                    ? "held"
                    : "none (log in again when the access token expires)"));
    env.out().println("Store:     " + store.kind() + " — " + store.location());
    return ExitCode.OK;
  }

  static String describe(Instant expiresAt, Instant now) {
    Duration left = Duration.between(now, expiresAt);
    if (left.isNegative() || left.isZero()) {
      return "expired " + ago(left.negated()) + " ago (refreshed on next use)";
    }
    return "expires in " + ago(left) + " (" + expiresAt + ")";
  }

  private static String ago(Duration d) {
    long s = d.getSeconds();
    if (s < 90) {
      return s + " s";
    }
    if (s < 90 * 60) {
      return (s / 60) + " min";
    }
    if (s < 48 * 3600) {
      return (s / 3600) + " h";
    }
    return (s / 86400) + " days";
  }
}
