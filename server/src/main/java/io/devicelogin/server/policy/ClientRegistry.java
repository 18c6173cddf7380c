package io.devicelogin.server.policy;

import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.config.SessionSettings;
import io.devicelogin.server.protocol.StandardScope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registered clients, their scopes' descriptions, the rate limits and the session times: what
 * {@link ClientsFile} read from the configuration file at start, with the demo client of {@code
 * --demo} when asked for.
 */
public final class ClientRegistry {
  /** The public client {@code --demo} registers. */
  public static final String DEMO_CLIENT_ID = "devicelogin-cli";

  private final Map<String, ClientPolicy> clients;
  private final Map<String, String> scopeDescriptions;
  private final RateLimits rateLimits;
  private final SessionSettings sessions;
  private Administrators admins = Administrators.NONE;
  private SignInMethods signIn = SignInMethods.LOCAL_ONLY;

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
    this(clients, scopeDescriptions, rateLimits, SessionSettings.DEFAULTS);
  }

  /**
   * @throws IllegalArgumentException if two clients have the same id
   */
  public ClientRegistry(
      Collection<ClientPolicy> clients,
      Map<String, String> scopeDescriptions,
      RateLimits rateLimits,
      SessionSettings sessions) {
    Map<String, ClientPolicy> byId = new LinkedHashMap<>();
    for (ClientPolicy c : clients) {
      if (byId.put(c.clientId(), c) != null) {
        throw new IllegalArgumentException("client '" + c.clientId() + "' is registered twice");
      }
    }
    this.clients = Collections.unmodifiableMap(byId);
    Map<String, String> descriptions = new LinkedHashMap<>();
    for (StandardScope s : StandardScope.values()) {
      descriptions.put(s.token(), s.description());
    }
    descriptions.putAll(scopeDescriptions);
    this.scopeDescriptions = Map.copyOf(descriptions);
    this.rateLimits = rateLimits;
    this.sessions = sessions;
  }

  /** The client {@code --demo} creates: public, device grant, refresh, the OpenID scopes. */
  public static ClientPolicy demoClient() {
    return publicClient(
        DEMO_CLIENT_ID,
        "devicelogin CLI",
        Scope.of("openid", "profile", "email", "offline_access"));
  }

  /** A public device-grant client with every default. */
  public static ClientPolicy publicClient(String clientId, String name, Scope scopes) {
    return new ClientPolicy(
        clientId,
        name,
        scopes,
        true,
        RefreshTokenPolicy.OFFLINE_ACCESS,
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
    return new ClientRegistry(all, scopeDescriptions, rateLimits, sessions)
        .withAdmins(admins)
        .withSignIn(signIn);
  }

  /** The same registry with the configuration's {@code "admins"}. */
  public ClientRegistry withAdmins(Administrators admins) {
    ClientRegistry copy =
        new ClientRegistry(clients.values(), scopeDescriptions, rateLimits, sessions);
    copy.admins = admins;
    copy.signIn = signIn;
    return copy;
  }

  /** Who is an administrator, the flag and the configuration's {@code "admins"} together. */
  public Administrators admins() {
    return admins;
  }

  /** The same registry with these ways of signing in to the pages. */
  public ClientRegistry withSignIn(SignInMethods methods) {
    ClientRegistry copy =
        new ClientRegistry(clients.values(), scopeDescriptions, rateLimits, sessions);
    copy.admins = admins;
    copy.signIn = methods;
    return copy;
  }

  /** How people sign in: passwords, upstream identity providers, or both. */
  public SignInMethods signIn() {
    return signIn;
  }

  /** The limits on device authorization requests. */
  public RateLimits rateLimits() {
    return rateLimits;
  }

  /** How long the pages' browser sessions live. */
  public SessionSettings sessions() {
    return sessions;
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
}
