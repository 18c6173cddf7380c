package io.devicelogin.server.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.devicelogin.client.text.DurationText;
import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.config.SessionSettings;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configuration file ({@code --config}), read into the {@link ClientRegistry} at start. The
 * file is JSON ({@code //} and {@code /* *}{@code /} comments allowed):
 *
 * <pre>{@code
 * {
 *   "clients": [
 *     { "client_id": "devicelogin-cli", "name": "devicelogin CLI",
 *       "scopes": ["openid", "profile", "email", "offline_access"],
 *       "device_grant": true, "refresh_tokens": "offline_access",
 *       "device_code_lifetime": "10m", "interval": "5s",
 *       "access_token_lifetime": "10m",
 *       "refresh_idle_lifetime": "30d", "refresh_max_lifetime": "90d" },
 *     { "client_id": "inventory-api", "name": "Inventory API",
 *       "client_secret_sha256": "<hex SHA-256 of the secret>", "introspection": true }
 *   ],
 *   // per client, optionally (see ApproversFile):
 *   //   "approvers": { "groups": ["ops"], "email_domains": ["corp.example"], "users": ["alice"] },
 *   //   "scope_groups": { "inventory:write": ["ops"] }
 *   "scope_descriptions": { "inventory:read": "See your inventory" },
 *   "rate_limits": { "device_authorizations_per_ip_per_minute": 30,
 *                    "device_authorizations_per_client_per_minute": 600,
 *                    "device_authorizations_fair_share_per_ip": 3 },
 *   "sessions": { "lifetime": "8h", "idle_timeout": "30m" },
 *   "admins": ["alice", "corp:0a1b2c"]
 * }
 * }</pre>
 *
 * <p>Every member but {@code client_id} is optional; absent ones take {@link Defaults}. Lifetimes
 * are a JSON number of seconds ({@code 90}) or a string in the grammar of {@link DurationText}, the
 * same as on the command line ({@code "90s"}, {@code "10m"}, {@code "8h"}, {@code "30d"}, {@code
 * "PT10M"}). A client without {@code client_secret_sha256} is public and may use the device grant
 * unless {@code device_grant} is false; one with it is confidential (a resource server) and may use
 * the device grant only when {@code device_grant} is true. {@code refresh_tokens} is {@code
 * "offline_access"} (a grant gets refresh tokens only when its scope holds {@code offline_access}),
 * {@code "always"} or {@code "never"}; see {@link RefreshTokenPolicy}.
 *
 * <p>{@code "upstreams"} and {@code "local_accounts"}, the ways people sign in to the pages, are
 * read by {@link UpstreamsFile}.
 *
 * <p>The file is checked strictly, because a typo in a policy should stop the server, not quietly
 * take a default: an unknown or duplicated member, a value of the wrong type, a duplicated {@code
 * client_id}, a malformed hash or lifetime each fail the start with a message that names the file,
 * the client and the member.
 */
public final class ClientsFile {
  private static final List<String> ROOT_MEMBERS =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of(
                  "clients", "scope_descriptions", "rate_limits", "sessions", "admins"),
              UpstreamsFile.ROOT_MEMBERS.stream())
          .toList();
  private static final List<String> SESSION_MEMBERS = List.of("lifetime", "idle_timeout");
  private static final List<String> RATE_LIMIT_MEMBERS =
      List.of(
          "device_authorizations_per_ip_per_minute",
          "device_authorizations_per_client_per_minute",
          "device_authorizations_fair_share_per_ip");
  private static final List<String> CLIENT_MEMBERS =
      concat(
          ApproversFile.CLIENT_MEMBERS,
          "client_id",
          "name",
          "scopes",
          "device_grant",
          "refresh_tokens",
          "device_code_lifetime",
          "interval",
          "access_token_lifetime",
          "refresh_idle_lifetime",
          "refresh_max_lifetime",
          "client_secret_sha256",
          "introspection");

  private static List<String> concat(List<String> more, String... members) {
    List<String> all = new ArrayList<>(List.of(members));
    all.addAll(more);
    return List.copyOf(all);
  }

  /**
   * RFC 6749 §3.3 scope-token and §A.1 client_id characters; the database holds 100 of the latter.
   */
  private static final Pattern CLIENT_ID = Pattern.compile("[\\x20-\\x7E]{1,100}");

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private ClientsFile() {}

  /**
   * Reads the configuration file.
   *
   * @throws IllegalArgumentException with a one-line message that names the file and what is wrong
   */
  public static ClientRegistry read(Path file) {
    return read(file, System.getenv());
  }

  /**
   * Reads the configuration file; {@code env} holds the upstreams' {@code client_secret_env}.
   *
   * @throws IllegalArgumentException with a one-line message that names the file and what is wrong
   */
  public static ClientRegistry read(Path file, Map<String, String> env) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "cannot read the configuration file " + file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException(
          "cannot read the configuration file " + file + ": permission denied");
    } catch (MalformedInputException e) {
      throw new IllegalArgumentException(
          "cannot read the configuration file " + file + ": it is not UTF-8 text");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the configuration file " + file + ": " + e.getMessage());
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      String why =
          e.getOriginalMessage().split("\n", 2)[0].replaceAll("\\s*\\(start marker at .*", "");
      throw new IllegalArgumentException(file + " is not valid JSON" + where + ": " + why);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          file + ": the configuration must be a JSON object with \"clients\"");
    }
    FilePlace at = new FilePlace(file.toString());
    at.onlyKnownMembers(root, ROOT_MEMBERS);
    List<ClientPolicy> clients = new ArrayList<>();
    JsonNode list = root.get("clients");
    if (list != null && !list.isArray()) {
      throw at.problem("\"clients\" must be an array of client objects");
    }
    Set<String> ids = new LinkedHashSet<>();
    for (int i = 0; list != null && i < list.size(); i++) {
      ClientPolicy client = parseClient(list.get(i), i, at);
      if (!ids.add(client.clientId())) {
        throw at.problem("client '" + client.clientId() + "' is registered twice");
      }
      clients.add(client);
    }
    return new ClientRegistry(
            clients,
            scopeDescriptions(root.get("scope_descriptions"), at),
            rateLimits(root.get("rate_limits"), at),
            sessions(root.get("sessions"), at))
        .withAdmins(Administrators.read(root.get("admins"), at))
        .withSignIn(UpstreamsFile.read(root, at, file.toAbsolutePath().getParent(), env));
  }

  private static ClientPolicy parseClient(JsonNode c, int index, FilePlace file) {
    FilePlace at = file.in("clients[" + index + "]");
    if (!c.isObject()) {
      throw at.problem("each client must be a JSON object");
    }
    JsonNode idNode = c.get("client_id");
    if (idNode == null || !idNode.isTextual() || idNode.asText().isBlank()) {
      throw at.problem("client_id is missing (a non-empty string)");
    }
    String id = idNode.asText();
    if (!CLIENT_ID.matcher(id).matches()) {
      throw at.problem("client_id must be 1 to 100 printable ASCII characters");
    }
    FilePlace client = file.in("client '" + id + "'");
    client.onlyKnownMembers(c, CLIENT_MEMBERS);
    Optional<String> secret =
        client.string(c, "client_secret_sha256").map(s -> s.toLowerCase(Locale.ROOT));
    if (secret.isPresent() && !secret.get().matches("[0-9a-f]{64}")) {
      throw client.problem(
          "client_secret_sha256 must be 64 hex digits, the SHA-256 of the secret"
              + " (printf %s \"$SECRET\" | sha256sum)");
    }
    boolean introspection = client.bool(c, "introspection", false);
    if (introspection && secret.isEmpty()) {
      throw client.problem(
          "introspection needs client_secret_sha256: a public client cannot authenticate");
    }
    List<String> scopes = new ArrayList<>();
    JsonNode scopeList = c.get("scopes");
    if (scopeList != null) {
      if (!scopeList.isArray()) {
        throw client.problem(
            "scopes must be an array of strings, such as [\"openid\", \"offline_access\"]");
      }
      for (JsonNode s : scopeList) {
        if (!s.isTextual() || !Scope.isToken(s.asText())) {
          throw client.problem(
              "scopes must be strings without spaces, quotes or backslashes (RFC 6749 §3.3)");
        }
        scopes.add(s.asText());
      }
    }
    Duration lifetime = client.duration(c, "device_code_lifetime", Defaults.DEVICE_CODE_LIFETIME);
    Duration interval = client.duration(c, "interval", Defaults.POLL_INTERVAL);
    if (interval.toNanos() % 1_000_000_000L != 0) {
      throw client.problem("interval must be a whole number of seconds (RFC 8628 §3.2)");
    }
    if (interval.compareTo(lifetime) >= 0) {
      throw client.problem("interval must be shorter than device_code_lifetime");
    }
    return new ClientPolicy(
        id,
        client.string(c, "name").orElse(id),
        Scope.of(scopes),
        client.bool(c, "device_grant", secret.isEmpty()),
        refreshTokens(c, client),
        lifetime,
        interval,
        client.duration(c, "access_token_lifetime", Defaults.ACCESS_TOKEN_LIFETIME),
        client.duration(c, "refresh_idle_lifetime", Defaults.REFRESH_IDLE_LIFETIME),
        client.duration(c, "refresh_max_lifetime", Defaults.REFRESH_MAX_LIFETIME),
        secret,
        introspection,
        ApproversFile.read(c, Scope.of(scopes), client));
  }

  /**
   * {@code refresh_tokens}: the name of a {@link RefreshTokenPolicy}; true and false are read too,
   * true as the default and false as {@code "never"}.
   */
  private static RefreshTokenPolicy refreshTokens(JsonNode c, FilePlace client) {
    JsonNode value = c.get("refresh_tokens");
    if (value == null || value.isBoolean()) {
      return value == null || value.asBoolean()
          ? RefreshTokenPolicy.OFFLINE_ACCESS
          : RefreshTokenPolicy.NEVER;
    }
    return Optional.of(value)
        .filter(JsonNode::isTextual)
        .flatMap(v -> RefreshTokenPolicy.named(v.asText()))
        .orElseThrow(
            () ->
                client.problem(
                    "refresh_tokens must be \"offline_access\" (the default: only for a login"
                        + " that asked for offline_access), \"always\" or \"never\""));
  }

  private static Map<String, String> scopeDescriptions(JsonNode node, FilePlace at) {
    Map<String, String> descriptions = new LinkedHashMap<>();
    if (node == null) {
      return descriptions;
    }
    if (!node.isObject()) {
      throw at.problem("scope_descriptions must be an object from scope to description");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!Scope.isToken(e.getKey())) {
        throw at.problem("scope_descriptions: '" + e.getKey() + "' is not a scope (RFC 6749 §3.3)");
      }
      if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
        throw at.problem(
            "scope_descriptions: the description of " + e.getKey() + " must be a non-empty string");
      }
      descriptions.put(e.getKey(), e.getValue().asText());
    }
    return descriptions;
  }

  private static RateLimits rateLimits(JsonNode node, FilePlace file) {
    if (node == null) {
      return RateLimits.DEFAULTS;
    }
    FilePlace at = file.in("rate_limits");
    if (!node.isObject()) {
      throw at.problem(
          "must be an object, such as {\"device_authorizations_per_ip_per_minute\": 30}");
    }
    at.onlyKnownMembers(node, RATE_LIMIT_MEMBERS);
    return new RateLimits(
        at.count(
            node,
            "device_authorizations_per_ip_per_minute",
            Defaults.DEVICE_REQUESTS_PER_IP_PER_MINUTE),
        at.count(
            node,
            "device_authorizations_per_client_per_minute",
            Defaults.DEVICE_REQUESTS_PER_CLIENT_PER_MINUTE),
        at.count(
            node,
            "device_authorizations_fair_share_per_ip",
            Defaults.DEVICE_REQUESTS_FAIR_SHARE_PER_IP));
  }

  /** {@code sessions}: the browser sessions' {@code lifetime} and {@code idle_timeout}. */
  private static SessionSettings sessions(JsonNode node, FilePlace file) {
    if (node == null) {
      return SessionSettings.DEFAULTS;
    }
    FilePlace at = file.in("sessions");
    if (!node.isObject()) {
      throw at.problem(
          "must be an object, such as {\"lifetime\": \"8h\", \"idle_timeout\": \"30m\"}");
    }
    at.onlyKnownMembers(node, SESSION_MEMBERS);
    Duration lifetime = at.duration(node, "lifetime", Defaults.BROWSER_SESSION_LIFETIME);
    Duration idle =
        at.duration(
            node,
            "idle_timeout",
            lifetime.compareTo(Defaults.BROWSER_SESSION_IDLE_TIMEOUT) < 0
                ? lifetime
                : Defaults.BROWSER_SESSION_IDLE_TIMEOUT);
    try {
      return new SessionSettings(lifetime, idle);
    } catch (IllegalArgumentException e) {
      throw at.problem(e.getMessage());
    }
  }
}
