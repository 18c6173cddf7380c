package io.devicelogin.server.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.config.Defaults;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registered clients, read from the configuration file at start. The file is JSON ({@code //}
 * and {@code /* *}{@code /} comments allowed):
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
 *   "scope_descriptions": { "inventory:read": "See your inventory" },
 *   "rate_limits": { "device_authorizations_per_ip_per_minute": 30,
 *                    "device_authorizations_per_client_per_minute": 600 }
 * }
 * }</pre>
 *
 * <p>Every member but {@code client_id} is optional; absent ones take {@link Defaults}. Lifetimes
 * are a number of seconds ({@code 90}), a number with {@code s}, {@code m}, {@code h} or {@code d}
 * ({@code 90s}, {@code 10m}, {@code 8h}, {@code 30d}), or ISO-8601 ({@code PT10M}). A client
 * without {@code client_secret_sha256} is public and may use the device grant unless {@code
 * device_grant} is false; one with it is confidential (a resource server) and may use the device
 * grant only when {@code device_grant} is true.
 *
 * <p>The file is checked strictly, because a typo in a policy should stop the server, not quietly
 * take a default: an unknown or duplicated member, a value of the wrong type, a duplicated {@code
 * client_id}, a malformed hash or lifetime each fail the start with a message that names the file,
 * the client and the member.
 */
public final class ClientRegistry {
  /** The public client {@code --demo} registers. */
  public static final String DEMO_CLIENT_ID = "devicelogin-cli";

  private static final Map<String, String> BUILT_IN_DESCRIPTIONS =
      Map.of(
          "openid", "Confirm who you are (your account identifier)",
          "profile", "See your name",
          "email", "See your email address",
          "offline_access", "Stay signed in: keep access after this session, until you revoke it");

  private static final List<String> ROOT_MEMBERS =
      List.of("clients", "scope_descriptions", "rate_limits");
  private static final List<String> RATE_LIMIT_MEMBERS =
      List.of(
          "device_authorizations_per_ip_per_minute", "device_authorizations_per_client_per_minute");
  private static final List<String> CLIENT_MEMBERS =
      List.of(
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

  /** RFC 6749 §A.1 client_id characters; the database holds 100 of them. */
  private static final Pattern CLIENT_ID = Pattern.compile("[\\x20-\\x7E]{1,100}");

  /** Longer lifetimes are typos, and would overflow the arithmetic of instants. */
  private static final Duration LONGEST = Duration.ofDays(3650);

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final Map<String, ClientPolicy> clients;
  private final Map<String, String> scopeDescriptions;
  private final RateLimits rateLimits;

  /**
   * @throws IllegalArgumentException if two clients have the same id
   */
  public ClientRegistry(Collection<ClientPolicy> clients, Map<String, String> scopeDescriptions) {
    this(clients, scopeDescriptions, RateLimits.DEFAULTS);
  }

  /**
   * @throws IllegalArgumentException if two clients have the same id
   */
  public ClientRegistry(
      Collection<ClientPolicy> clients,
      Map<String, String> scopeDescriptions,
      RateLimits rateLimits) {
    Map<String, ClientPolicy> byId = new LinkedHashMap<>();
    for (ClientPolicy c : clients) {
      if (byId.put(c.clientId(), c) != null) {
        throw new IllegalArgumentException("client '" + c.clientId() + "' is registered twice");
      }
    }
    this.clients = java.util.Collections.unmodifiableMap(byId);
    Map<String, String> descriptions = new LinkedHashMap<>(BUILT_IN_DESCRIPTIONS);
    descriptions.putAll(scopeDescriptions);
    this.scopeDescriptions = Map.copyOf(descriptions);
    this.rateLimits = rateLimits;
  }

  /**
   * Reads the configuration file.
   *
   * @throws IllegalArgumentException with a one-line message that names the file and what is wrong
   */
  public static ClientRegistry load(Path file) {
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
    Problems at = new Problems(file.toString());
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
        rateLimits(root.get("rate_limits"), at));
  }

  /** The client {@code --demo} creates: public, device grant, refresh, the OpenID scopes. */
  public static ClientPolicy demoClient() {
    return publicClient(
        DEMO_CLIENT_ID, "devicelogin CLI", Set.of("openid", "profile", "email", "offline_access"));
  }

  /** A public device-grant client with every default. */
  public static ClientPolicy publicClient(String clientId, String name, Set<String> scopes) {
    return new ClientPolicy(
        clientId,
        name,
        scopes,
        true,
        true,
        Defaults.DEVICE_CODE_LIFETIME,
        Defaults.POLL_INTERVAL,
        Defaults.ACCESS_TOKEN_LIFETIME,
        Defaults.REFRESH_IDLE_LIFETIME,
        Defaults.REFRESH_MAX_LIFETIME,
        Optional.empty(),
        false);
  }

  /** The same registry with {@code client} added unless a client of that id exists. */
  public ClientRegistry withIfAbsent(ClientPolicy client) {
    if (clients.containsKey(client.clientId())) {
      return this;
    }
    List<ClientPolicy> all = new ArrayList<>(clients.values());
    all.add(client);
    return new ClientRegistry(all, scopeDescriptions, rateLimits);
  }

  /** The limits on device authorization requests. */
  public RateLimits rateLimits() {
    return rateLimits;
  }

  public Optional<ClientPolicy> find(String clientId) {
    return Optional.ofNullable(clientId == null ? null : clients.get(clientId));
  }

  /** Every client, in the order of the file. */
  public Collection<ClientPolicy> all() {
    return clients.values();
  }

  /** A plain-language description of a scope, for the consent page. */
  public String describe(String scope) {
    return scopeDescriptions.getOrDefault(scope, "Access “" + scope + "”");
  }

  private static ClientPolicy parseClient(JsonNode c, int index, Problems file) {
    Problems at = file.in("clients[" + index + "]");
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
    Problems client = file.in("client '" + id + "'");
    client.onlyKnownMembers(c, CLIENT_MEMBERS);
    Optional<String> secret =
        string(c, "client_secret_sha256", client).map(s -> s.toLowerCase(Locale.ROOT));
    if (secret.isPresent() && !secret.get().matches("[0-9a-f]{64}")) {
      throw client.problem(
          "client_secret_sha256 must be 64 hex digits, the SHA-256 of the secret"
              + " (printf %s \"$SECRET\" | sha256sum)");
    }
    boolean introspection = bool(c, "introspection", false, client);
    if (introspection && secret.isEmpty()) {
      throw client.problem(
          "introspection needs client_secret_sha256: a public client cannot authenticate");
    }
    Set<String> scopes = new LinkedHashSet<>();
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
    Duration lifetime = duration(c, "device_code_lifetime", Defaults.DEVICE_CODE_LIFETIME, client);
    Duration interval = duration(c, "interval", Defaults.POLL_INTERVAL, client);
    if (interval.toNanos() % 1_000_000_000L != 0) {
      throw client.problem("interval must be a whole number of seconds (RFC 8628 §3.2)");
    }
    if (interval.compareTo(lifetime) >= 0) {
      throw client.problem("interval must be shorter than device_code_lifetime");
    }
    return new ClientPolicy(
        id,
        string(c, "name", client).orElse(id),
        scopes,
        bool(c, "device_grant", secret.isEmpty(), client),
        bool(c, "refresh_tokens", true, client),
        lifetime,
        interval,
        duration(c, "access_token_lifetime", Defaults.ACCESS_TOKEN_LIFETIME, client),
        duration(c, "refresh_idle_lifetime", Defaults.REFRESH_IDLE_LIFETIME, client),
        duration(c, "refresh_max_lifetime", Defaults.REFRESH_MAX_LIFETIME, client),
        secret,
        introspection);
  }

  private static Map<String, String> scopeDescriptions(JsonNode node, Problems at) {
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

  private static RateLimits rateLimits(JsonNode node, Problems file) {
    if (node == null) {
      return RateLimits.DEFAULTS;
    }
    Problems at = file.in("rate_limits");
    if (!node.isObject()) {
      throw at.problem(
          "must be an object, such as {\"device_authorizations_per_ip_per_minute\": 30}");
    }
    at.onlyKnownMembers(node, RATE_LIMIT_MEMBERS);
    return new RateLimits(
        count(
            node,
            "device_authorizations_per_ip_per_minute",
            Defaults.DEVICE_REQUESTS_PER_IP_PER_MINUTE,
            at),
        count(
            node,
            "device_authorizations_per_client_per_minute",
            Defaults.DEVICE_REQUESTS_PER_CLIENT_PER_MINUTE,
            at));
  }

  private static int count(JsonNode c, String name, int fallback, Problems at) {
    JsonNode value = c.get(name);
    if (value == null) {
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
      throw at.problem(name + " must be a whole number from 1 to " + Integer.MAX_VALUE);
    }
    return value.asInt();
  }

  private static Optional<String> string(JsonNode c, String name, Problems at) {
    JsonNode value = c.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw at.problem(name + " must be a string");
    }
    return Optional.of(value.asText());
  }

  private static boolean bool(JsonNode c, String name, boolean fallback, Problems at) {
    JsonNode value = c.get(name);
    if (value == null) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw at.problem(name + " must be true or false");
    }
    return value.asBoolean();
  }

  private static Duration duration(JsonNode c, String name, Duration fallback, Problems at) {
    JsonNode value = c.get(name);
    if (value == null) {
      return fallback;
    }
    Optional<Duration> d;
    if (value.isIntegralNumber()) {
      d =
          value.canConvertToLong()
              ? Optional.of(Duration.ofSeconds(value.asLong()))
              : Optional.empty();
    } else if (value.isTextual()) {
      d = parseDuration(value.asText());
    } else {
      d = Optional.empty();
    }
    if (d.isEmpty()) {
      throw at.problem(
          name
              + " is not a duration: give seconds (90), a number with s, m, h or d (90s, 10m, 8h,"
              + " 30d) or ISO-8601 (PT10M)");
    }
    if (d.get().isNegative() || d.get().isZero() || d.get().compareTo(LONGEST) > 0) {
      throw at.problem(name + " must be longer than 0 and at most 3650 days");
    }
    return d.get();
  }

  private static final Pattern SHORT = Pattern.compile("([0-9]{1,9})\\s*([smhd]?)");

  /**
   * {@code 90} (seconds), {@code 90s}, {@code 10m}, {@code 8h}, {@code 30d} or ISO-8601 ({@code
   * PT10M}, {@code P30D}); empty for anything else.
   */
  public static Optional<Duration> parseDuration(String text) {
    Matcher m = SHORT.matcher(text.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "m":
          return Optional.of(Duration.ofMinutes(n));
        case "h":
          return Optional.of(Duration.ofHours(n));
        case "d":
          return Optional.of(Duration.ofDays(n));
        default:
          return Optional.of(Duration.ofSeconds(n));
      }
    }
    try {
      return Optional.of(Duration.parse(text.trim()));
    } catch (DateTimeParseException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  /** Where in the file a problem is, for messages such as {@code clients.json: client 'x': …}. */
  private static final class Problems {
    private final String prefix;

    Problems(String prefix) {
      this.prefix = prefix;
    }

    Problems in(String part) {
      return new Problems(prefix + ": " + part);
    }

    IllegalArgumentException problem(String what) {
      return new IllegalArgumentException(prefix + ": " + what);
    }

    void onlyKnownMembers(JsonNode object, List<String> known) {
      for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (known.contains(name)) {
          continue;
        }
        if (name.equals("client_secret")) {
          throw problem(
              "unknown member 'client_secret': the file holds only the secret's SHA-256, as"
                  + " client_secret_sha256");
        }
        throw problem("unknown member '" + name + "' (known: " + String.join(", ", known) + ")");
      }
    }
  }
}
