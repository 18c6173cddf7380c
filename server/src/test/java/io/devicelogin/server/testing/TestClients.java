package io.devicelogin.server.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.wire.Json;
import io.devicelogin.server.crypto.Hashing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The clients every {@link TestServer} registers through a {@code --config} file (the format of
 * {@link io.devicelogin.server.policy.ClientRegistry}), next to the demo client {@code
 * devicelogin-cli} that {@code --demo} adds.
 */
public final class TestClients {
  /**
   * The demo client: public, device grant, refresh, {@code openid profile email offline_access}.
   */
  public static final String CLI = "devicelogin-cli";

  /** A second public device-grant client, for codes and tokens presented by the wrong client. */
  public static final String OTHER_CLI = "other-cli";

  /**
   * A public client with its own lifetimes: codes of 2 min, interval 7 s, access tokens of 1 min.
   */
  public static final String QUICK_CLI = "quick-cli";

  /**
   * A public client whose codes say {@code interval} 1 s (the smallest whole number of seconds
   * above zero, as RFC 8628 counts it): for tests where a real command polls a real server, so that
   * a login, an outage and the backoff after it take seconds, not minutes.
   */
  public static final String FAST_CLI = "fast-cli";

  /**
   * A public device-grant client whose grants get no refresh tokens ({@code "refresh_tokens":
   * "never"}), not even when it asks for {@code offline_access}, which it may.
   */
  public static final String NO_REFRESH_CLI = "no-refresh-cli";

  /**
   * A public device-grant client whose grants all get refresh tokens ({@code "refresh_tokens":
   * "always"}), with {@code offline_access} or without; it may ask for {@code openid profile}.
   */
  public static final String ALWAYS_REFRESH_CLI = "always-refresh-cli";

  /**
   * A public device-grant client whose sign-ins only members of {@code ops} may approve ({@code
   * approvers}), and whose {@code inventory:write} only members of {@code ops-writers} may delegate
   * ({@code scope_groups}); it may ask for {@code openid inventory:read inventory:write
   * offline_access}.
   */
  public static final String OPS_CLI = "ops-cli";

  /** A resource server: confidential, allowed to introspect. */
  public static final String RESOURCE_SERVER = "inventory-api";

  /** A confidential client that may not introspect. */
  public static final String REPORTING = "reporting-api";

  /** {@link #RESOURCE_SERVER}'s secret. */
  public final String resourceServerSecret = IssuedSecrets.fresh("rs-secret-");

  /** {@link #REPORTING}'s secret. */
  public final String reportingSecret = IssuedSecrets.fresh("reporting-secret-");

  /** Writes the configuration file into {@code directory}. */
  public Path write(Path directory) {
    ObjectNode root = Json.newObject();
    ArrayNode clients = root.putArray("clients");
    client(clients, OTHER_CLI, "Other CLI", "openid", "profile", "offline_access");
    client(clients, QUICK_CLI, "Quick CLI", "openid", "offline_access")
        .put("device_code_lifetime", "2m")
        .put("interval", "7s")
        .put("access_token_lifetime", "1m");
    client(clients, FAST_CLI, "Fast CLI", "openid", "profile", "offline_access")
        .put("device_code_lifetime", "2m")
        .put("interval", "1s");
    client(clients, NO_REFRESH_CLI, "No Refresh CLI", "openid", "offline_access")
        .put("refresh_tokens", "never");
    client(clients, ALWAYS_REFRESH_CLI, "Always Refresh CLI", "openid", "profile")
        .put("refresh_tokens", "always");
    ObjectNode ops =
        client(
            clients,
            OPS_CLI,
            "Ops CLI",
            "openid",
            "inventory:read",
            "inventory:write",
            "offline_access");
    ops.putObject("approvers").putArray("groups").add("ops");
    ops.putObject("scope_groups").putArray("inventory:write").add("ops-writers");
    client(clients, RESOURCE_SERVER, "Inventory API")
        .put("client_secret_sha256", Hashing.sha256(resourceServerSecret))
        .put("introspection", true);
    client(clients, REPORTING, "Reporting API")
        .put("client_secret_sha256", Hashing.sha256(reportingSecret));
    Path file = directory.resolve("clients.json");
    try {
      Files.writeString(file, Json.write(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** A client entry with its id, name and scopes (none: the key is left out). */
  private static ObjectNode client(ArrayNode clients, String id, String name, String... scopes) {
    ObjectNode client = clients.addObject().put("client_id", id).put("name", name);
    if (scopes.length > 0) {
      ArrayNode allowed = client.putArray("scopes");
      for (String scope : scopes) {
        allowed.add(scope);
      }
    }
    return client;
  }
}
