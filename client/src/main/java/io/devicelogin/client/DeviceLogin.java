package io.devicelogin.client;

import io.devicelogin.client.flow.DeviceAuthorizationClient;
import io.devicelogin.client.flow.LoginListener;
import io.devicelogin.client.flow.PollingEngine;
import io.devicelogin.client.flow.PollingPolicy;
import io.devicelogin.client.flow.Sleeper;
import io.devicelogin.client.http.HttpSettings;
import io.devicelogin.client.http.OAuthHttp;
import io.devicelogin.client.http.SecureUris;
import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.metadata.MetadataDiscovery;
import io.devicelogin.client.provider.Provider;
import io.devicelogin.client.provider.Providers;
import io.devicelogin.client.tokens.RevocationReport;
import io.devicelogin.client.tokens.TokenClient;
import io.devicelogin.client.wire.DeviceAuthorizationRequest;
import io.devicelogin.client.wire.Scope;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: log a person in from a command-line tool with the OAuth 2.0 Device Authorization
 * Grant (RFC 8628), then refresh and revoke what it produced.
 *
 * <pre>{@code
 * DeviceLogin login = DeviceLogin.builder()
 *     .issuer(URI.create("https://id.example.com"))
 *     .clientId("my-cli")
 *     .scope("openid", "offline_access")
 *     .build();
 * DeviceAuthorization code = login.start();
 * System.err.println("Open " + code.verificationUri() + " and enter " + code.userCode());
 * TokenSet tokens = login.await(code);
 * }</pre>
 *
 * <p>Thread-safe; the provider's metadata is resolved once, on first use.
 */
public final class DeviceLogin {
  private static final Logger log = LoggerFactory.getLogger(DeviceLogin.class);

  private final Provider provider;
  private final ClientIdentity client;
  private final DeviceAuthorizationRequest request;
  private final Clock clock;
  private final LoginListener listener;
  private final MetadataDiscovery discovery;
  private final DeviceAuthorizationClient authorizationClient;
  private final PollingEngine pollingEngine;
  private final TokenClient tokenClient;
  private volatile AuthorizationServerMetadata metadata;

  private DeviceLogin(Builder b) {
    this.provider =
        Objects.requireNonNull(b.provider, "an issuer, provider or metadata is required");
    this.client = Objects.requireNonNull(b.client, "a client id is required");
    this.request =
        new DeviceAuthorizationRequest(
            Scope.of(b.scope), b.extraParameters, Optional.ofNullable(b.deviceName));
    this.clock = b.clock;
    this.listener = b.listener;
    OAuthHttp http = new OAuthHttp(b.http);
    this.discovery = new MetadataDiscovery(http);
    this.authorizationClient = new DeviceAuthorizationClient(http, clock);
    this.pollingEngine =
        new PollingEngine(http, clock, b.sleeper, b.polling, provider::standardError);
    this.tokenClient = new TokenClient(http, clock);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The provider's endpoints, discovered on first use.
   *
   * @throws DiscoveryException if they cannot be found or do not support the device flow
   */
  public AuthorizationServerMetadata metadata() {
    return metadata(Cancellation.none());
  }

  public AuthorizationServerMetadata metadata(Cancellation cancellation) {
    AuthorizationServerMetadata m = metadata;
    if (m == null) {
      m = provider.resolve(discovery, cancellation);
      requireSecure(m);
      metadata = m;
    }
    return m;
  }

  /**
   * Refuses metadata that would send a code, a token or the client secret over plain HTTP across a
   * network, whoever wrote it: a discovered document can name endpoints on any host.
   */
  private static void requireSecure(AuthorizationServerMetadata m) {
    URI issuer = m.issuer().orElse(m.tokenEndpoint());
    Map<String, Optional<URI>> endpoints = new LinkedHashMap<>();
    endpoints.put("the device authorization endpoint", m.deviceAuthorizationEndpoint());
    endpoints.put("the token endpoint", Optional.of(m.tokenEndpoint()));
    endpoints.put("the revocation endpoint", m.revocationEndpoint());
    endpoints.put("the introspection endpoint", m.introspectionEndpoint());
    endpoints.put("the userinfo endpoint", m.userinfoEndpoint());
    endpoints.forEach(
        (what, uri) ->
            uri.filter(u -> !SecureUris.acceptable(u))
                .ifPresent(
                    u -> {
                      throw new DiscoveryException(issuer, SecureUris.refusal(u, what));
                    }));
  }

  /** Requests the codes (RFC 8628 §3.1) and tells the listener to show them. */
  public DeviceAuthorization start() {
    return start(Cancellation.none());
  }

  public DeviceAuthorization start(Cancellation cancellation) {
    AuthorizationServerMetadata m = metadata(cancellation);
    URI endpoint =
        m.deviceAuthorizationEndpoint()
            .orElseThrow(
                () ->
                    new DiscoveryException(
                        m.issuer().orElse(null),
                        provider.name() + " has no device_authorization_endpoint"));
    DeviceAuthorization authorization =
        authorizationClient.request(endpoint, client, request, cancellation);
    listener.codeIssued(authorization);
    return authorization;
  }

  /** Polls until the person answers; see {@link PollingEngine} for the rules. */
  public TokenSet await(DeviceAuthorization authorization) {
    return await(authorization, Cancellation.none());
  }

  public TokenSet await(DeviceAuthorization authorization, Cancellation cancellation) {
    TokenSet tokens =
        pollingEngine.await(
            metadata(cancellation).tokenEndpoint(), client, authorization, listener, cancellation);
    return asGranted(authorization.requestedScope(), tokens);
  }

  /** {@link #start} then {@link #await}. */
  public TokenSet login(Cancellation cancellation) {
    return await(start(cancellation), cancellation);
  }

  /** Refreshes with the same scope. */
  public TokenSet refresh(TokenSet tokens) {
    return refresh(tokens, Scope.empty(), Cancellation.none());
  }

  /** Refreshes, asking for {@code narrowerScope} (empty: the same scope). */
  public TokenSet refresh(TokenSet tokens, Scope narrowerScope, Cancellation cancellation) {
    TokenSet fresh =
        tokenClient.refresh(
            metadata(cancellation).tokenEndpoint(), client, tokens, narrowerScope, cancellation);
    return asGranted(narrowerScope.isEmpty() ? tokens.scope() : narrowerScope, fresh);
  }

  /**
   * The tokens with their scope as the provider means it; tells the listener when the server
   * granted scopes that were not asked for (RFC 6749 §3.3 lets it).
   */
  private TokenSet asGranted(Scope requested, TokenSet tokens) {
    TokenSet granted = tokens.withScope(provider.grantedScope(tokens.scope()));
    if (!requested.isEmpty()) {
      Scope extra = provider.widening(requested, granted.scope());
      if (!extra.isEmpty()) {
        log.warn("the server granted scopes that were not requested: {}", extra);
        listener.scopeWidened(requested, granted.scope());
      }
    }
    return granted;
  }

  /** Revokes the refresh token, then the access token, and reports what the server confirmed. */
  public RevocationReport revoke(TokenSet tokens) {
    return revoke(tokens, Cancellation.none());
  }

  public RevocationReport revoke(TokenSet tokens, Cancellation cancellation) {
    return tokenClient.revoke(
        metadata(cancellation).revocationEndpoint(), client, tokens, cancellation);
  }

  public ClientIdentity client() {
    return client;
  }

  /** Configures a {@link DeviceLogin}. */
  public static final class Builder {
    private Provider provider;
    private ClientIdentity client;
    private String clientId;
    private Secret clientSecret;
    private final List<String> scope = new ArrayList<>();
    private final Map<String, List<String>> extraParameters = new LinkedHashMap<>();
    private HttpSettings http = HttpSettings.defaults();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private PollingPolicy polling = PollingPolicy.defaults();
    private LoginListener listener = LoginListener.NONE;
    private String deviceName;

    private Builder() {}

    /** Discovers the endpoints from the issuer's metadata (RFC 8414, then OpenID Connect). */
    public Builder issuer(URI issuer) {
      this.provider = Providers.discover(issuer);
      return this;
    }

    /** Uses a provider profile from {@link Providers}. */
    public Builder provider(Provider provider) {
      this.provider = Objects.requireNonNull(provider);
      return this;
    }

    /** Uses endpoints given explicitly. */
    public Builder metadata(AuthorizationServerMetadata metadata) {
      this.provider =
          Providers.fixed(
              metadata.issuer().map(URI::toString).orElse("explicit endpoints"), metadata);
      return this;
    }

    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    /** For providers that issue a secret to installed applications (Google). */
    public Builder clientSecret(Secret clientSecret) {
      this.clientSecret = clientSecret;
      return this;
    }

    public Builder scope(String... scopes) {
      return scope(Arrays.asList(scopes));
    }

    /**
     * Adds scopes to ask for.
     *
     * @throws IllegalArgumentException if one is not a scope token of RFC 6749 §3.3
     */
    public Builder scope(Collection<String> scopes) {
      scope.addAll(Scope.of(scopes).tokens());
      return this;
    }

    /** Adds scopes to ask for. */
    public Builder scope(Scope scopes) {
      scope.addAll(scopes.tokens());
      return this;
    }

    /**
     * Adds a parameter to the device authorization request, such as {@code audience}; {@link
     * #build} refuses one that the request sets itself.
     */
    public Builder parameter(String name, String value) {
      extraParameters
          .computeIfAbsent(name, k -> new ArrayList<>())
          .add(Objects.requireNonNull(value));
      return this;
    }

    /**
     * Names this machine in the device authorization request ({@code device_name}: host and OS,
     * such as {@code build-01 (Linux 6.1)}), so that the person approving can tell two sessions
     * apart. A devicelogin server shows it on its consent and account pages; other servers ignore
     * it. Null or blank sends none; control characters (which servers refuse in a form) become
     * spaces.
     */
    public Builder deviceName(String deviceName) {
      String name = deviceName == null ? "" : deviceName.replaceAll("\\p{Cntrl}", " ").strip();
      this.deviceName = name.isEmpty() ? null : name;
      return this;
    }

    public Builder http(HttpSettings http) {
      this.http = Objects.requireNonNull(http);
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper);
      return this;
    }

    public Builder polling(PollingPolicy polling) {
      this.polling = Objects.requireNonNull(polling);
      return this;
    }

    public Builder listener(LoginListener listener) {
      this.listener = Objects.requireNonNull(listener);
      return this;
    }

    /**
     * @throws IllegalArgumentException if an extra parameter is one the request sets itself
     */
    public DeviceLogin build() {
      if (clientId != null) {
        client =
            clientSecret == null
                ? ClientIdentity.publicClient(clientId)
                : ClientIdentity.withSecret(clientId, clientSecret);
      }
      return new DeviceLogin(this);
    }
  }
}
