package io.devicelogin.server.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devicelogin.server.Defaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registered clients, read from the configuration file at start. The file is JSON:
 *
 * <pre>{@code
 * {
 *   "clients": [
 *     { "client_id": "devicelogin-cli", "name": "devicelogin CLI",
 *       "scopes": ["openid", "profile", "email", "offline_access"],
 *       "device_grant": true, "refresh_tokens": true,
 *       "device_code_lifetime": "10m", "interval": "5s",
 *       "access_token_lifetime": "10m",
 *       "refresh_idle_lifetime": "30d", "refresh_max_lifetime": "90d" },
 *     { "client_id": "inventory-api", "name": "Inventory API",
 *       "client_secret_sha256": "<hex SHA-256 of the secret>", "introspection": true }
 *   ],
 *   "scope_descriptions": { "inventory:read": "See your inventory" }
 * }
 * }</pre>
 *
 * Every member but {@code client_id} is optional; lifetimes are a number with {@code s}, {@code m},
 * {@code h} or {@code d}, or ISO-8601 ({@code PT10M}); absent ones take {@link Defaults}.
 */
public final class ClientRegistry {
  /** The public client {@code --demo} registers. */
  public static final String DEMO_CLIENT_ID = "devicelogin-cli";

  private static final Map<String, String> BUILT_IN_DESCRIPTIONS = Map.of(
      "openid", "Confirm who you are (your account identifier)",
      "profile", "See your name",
      "email", "See your email address",
      "offline_access", "Stay signed in: keep access after this session, until you revoke it");

  private final Map<String, ClientPolicy> clients;
  private final Map<String, String> scopeDescriptions;

  public ClientRegistry(Collection<ClientPolicy> clients, Map<String, String> scopeDescriptions) {
    Map<String, ClientPolicy> byId = new LinkedHashMap<>();
    for (ClientPolicy c : clients) {
      if (byId.put(c.clientId(), c) != null) {
        throw new IllegalArgumentException("client " + c.clientId() + " is registered twice");
      }
    }
    this.clients = Map.copyOf(byId);
    Map<String, String> descriptions = new LinkedHashMap<>(BUILT_IN_DESCRIPTIONS);
    descriptions.putAll(scopeDescriptions);
    this.scopeDescriptions = Map.copyOf(descriptions);
  }

  /** Reads the configuration file. */
  public static ClientRegistry load(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the configuration file " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + " is not a JSON object");
    }
    List<ClientPolicy> clients = new java.util.ArrayList<>();
    for (JsonNode c : root.path("clients")) {
      clients.add(parseClient(c, file));
    }
    Map<String, String> descriptions = new LinkedHashMap<>();
    root.path("scope_descriptions").fields().forEachRemaining(e -> descriptions.put(e.getKey(), e.getValue().asText()));
    return new ClientRegistry(clients, descriptions);
  }

  /** The client {@code --demo} creates: public, device grant, refresh, the OpenID scopes. */
  public static ClientPolicy demoClient() {
    return publicClient(DEMO_CLIENT_ID, "devicelogin CLI", Set.of("openid", "profile", "email", "offline_access"));
  }

  /** A public device-grant client with every default. */
  public static ClientPolicy publicClient(String clientId, String name, Set<String> scopes) {
    return new ClientPolicy(clientId, name, scopes, true, true, Defaults.DEVICE_CODE_LIFETIME,
        Defaults.POLL_INTERVAL, Defaults.ACCESS_TOKEN_LIFETIME, Defaults.REFRESH_IDLE_LIFETIME,
        Defaults.REFRESH_MAX_LIFETIME, Optional.empty(), false);
  }

  /** The same registry with {@code client} added unless a client of that id exists. */
  public ClientRegistry withIfAbsent(ClientPolicy client) {
    if (clients.containsKey(client.clientId())) {
      return this;
    }
    List<ClientPolicy> all = new java.util.ArrayList<>(clients.values());
    all.add(client);
    return new ClientRegistry(all, scopeDescriptions);
  }

  public Optional<ClientPolicy> find(String clientId) {
    return Optional.ofNullable(clientId == null ? null : clients.get(clientId));
  }

  public Collection<ClientPolicy> all() {
    return clients.values();
  }

  /** A plain-language description of a scope, for the consent page. */
  public String describe(String scope) {
    return scopeDescriptions.getOrDefault(scope, "Access “" + scope + "”");
  }

  private static ClientPolicy parseClient(JsonNode c, Path file) {
    String id = c.path("client_id").asText("");
    if (id.isBlank()) {
      throw new IllegalArgumentException(file + ": a client has no client_id");
    }
    Set<String> scopes = new LinkedHashSet<>();
    c.path("scopes").forEach(s -> scopes.add(s.asText()));
    Optional<String> secret = Optional.ofNullable(c.get("client_secret_sha256")).map(JsonNode::asText)
        .map(s -> s.toLowerCase(java.util.Locale.ROOT));
    if (secret.isPresent() && !secret.get().matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(file + ": client " + id + ": client_secret_sha256 is not 64 hex digits");
    }
    return new ClientPolicy(
        id,
        c.path("name").asText(id),
        scopes,
        c.path("device_grant").asBoolean(secret.isEmpty()),
        c.path("refresh_tokens").asBoolean(true),
        duration(c, "device_code_lifetime", Defaults.DEVICE_CODE_LIFETIME, file, id),
        duration(c, "interval", Defaults.POLL_INTERVAL, file, id),
        duration(c, "access_token_lifetime", Defaults.ACCESS_TOKEN_LIFETIME, file, id),
        duration(c, "refresh_idle_lifetime", Defaults.REFRESH_IDLE_LIFETIME, file, id),
        duration(c, "refresh_max_lifetime", Defaults.REFRESH_MAX_LIFETIME, file, id),
        secret,
        c.path("introspection").asBoolean(false));
  }

  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*([smhd])");

  static Duration duration(JsonNode c, String name, Duration fallback, Path file, String id) {
    JsonNode value = c.get(name);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (value.isIntegralNumber()) {
      return Duration.ofSeconds(value.asLong());
    }
    return parseDuration(value.asText())
        .orElseThrow(() -> new IllegalArgumentException(
            file + ": client " + id + ": " + name + " is not a duration like 90s, 10m, 8h, 30d or PT10M"));
  }

  /** {@code 90s}, {@code 10m}, {@code 8h}, {@code 30d} or ISO-8601. */
  public static Optional<Duration> parseDuration(String text) {
    Matcher m = SHORT.matcher(text.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "s": return Optional.of(Duration.ofSeconds(n));
        case "m": return Optional.of(Duration.ofMinutes(n));
        case "h": return Optional.of(Duration.ofHours(n));
        default: return Optional.of(Duration.ofDays(n));
      }
    }
    try {
      return Optional.of(Duration.parse(text.trim()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
