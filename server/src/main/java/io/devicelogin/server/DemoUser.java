package io.devicelogin.server;

import io.devicelogin.client.Secret;
import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.identity.UserService;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.policy.ClientRegistry;
import io.devicelogin.server.store.StoreException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.TreeSet;

/** The user {@code --demo} creates, an admin, so that a person can try every page at once. */
public final class DemoUser {
  /** The demo user's username. */
  public static final String USERNAME = "demo";

  private DemoUser() {}

  /**
   * With {@code --demo}, creates the demo user unless it exists (see {@link #createUnlessPresent});
   * without, says how to register a client when none is.
   */
  static void prepare(
      ServerConfig config,
      ClientRegistry clients,
      UserService users,
      SecureRandom random,
      PrintStream out) {
    if (config.demo()) {
      ClientPolicy client = clients.find(ClientRegistry.DEMO_CLIENT_ID).orElseThrow();
      createUnlessPresent(config.demoPassword(), client, users, random, out);
    } else if (clients.all().isEmpty()) {
      out.println(
          "No clients are registered: start with --demo, or describe them in --config FILE (see the"
              + " README).");
    }
  }

  /**
   * Says which client the demo uses and creates the demo user unless it exists. Hashing its
   * password takes a good part of a second. A generated password is printed once, to the terminal
   * of the person who started the demo, and never logged.
   *
   * @param chosen the password of {@code DEVICELOGIN_DEMO_PASSWORD}, if set
   */
  private static void createUnlessPresent(
      Optional<Secret> chosen,
      ClientPolicy client,
      UserService users,
      SecureRandom random,
      PrintStream out) {
    out.println(
        "Demo client: "
            + client.clientId()
            + " ("
            + (client.isPublic() ? "public" : "confidential")
            + "; scopes "
            + Scope.of(new TreeSet<>(client.allowedScopes().tokens())).format()
            + ")");
    if (users.findByUsername(USERNAME).isPresent()) {
      out.println("Demo user: " + USERNAME + " (exists, unchanged)");
      return;
    }
    Secret password = chosen.orElseGet(() -> Hashing.newSecret(random));
    try {
      users.create(USERNAME, "Demo User", "demo@example.com", password, true);
    } catch (StoreException e) {
      if (!e.isUniqueViolation()) {
        throw e;
      }
      // Another instance on the same database created it while this one hashed the password (it
      // takes a good part of a second): theirs stands, as any existing demo user does.
      out.println("Demo user: " + USERNAME + " (just created by another instance; unchanged)");
      return;
    }
    if (chosen.isEmpty()) {
      out.println(
          "Demo user created: username "
              + USERNAME
              + ", password "
              + password.revealForTransmission()
              + " (shown once; set DEVICELOGIN_DEMO_PASSWORD to choose it)");
    } else {
      out.println(
          "Demo user created: username " + USERNAME + ", password from DEVICELOGIN_DEMO_PASSWORD");
    }
  }
}
