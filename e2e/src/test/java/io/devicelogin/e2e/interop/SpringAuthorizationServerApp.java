package io.devicelogin.e2e.interop;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2DeviceAuthorizationResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.http.converter.OAuth2DeviceAuthorizationResponseHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceAuthorizationRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.RedirectUrlBuilder;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Spring Authorization Server (Spring Security 7) set up as a peer for {@link
 * SpringAuthorizationServerInteropTest}: the device grant for public clients, refresh and
 * revocation, form login for the person, and the default consent page.
 *
 * <p>Spring's defaults were changed only where the device flow or the test's running time needs it,
 * each change explained where it is made:
 *
 * <ul>
 *   <li>Spring authenticates a public client ({@code none}) only on a PKCE authorization-code
 *       request; {@link PublicClientIdConverter} and {@link PublicClientIdProvider} (after Spring's
 *       own device-grant sample) let one identify itself by {@code client_id} at the device
 *       authorization endpoint, at the token endpoint for the device_code and refresh_token grants,
 *       and at the revocation endpoint;
 *   <li>Spring's device authorization response has no {@code interval} (so clients wait the RFC's 5
 *       s) and no setting for one; {@link DeviceAuthorizationResponseWriter} writes Spring's
 *       response as Spring does, adding {@code interval} for clients registered with {@link
 *       #INTERVAL}, and for {@link #LAPSING_CLI} announcing a longer lifetime than the real one.
 * </ul>
 *
 * <p>Everything else is Spring's: metadata, token, introspection and revocation endpoints, JWT
 * access tokens, the in-memory authorization and consent services, the generated login and consent
 * pages.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableWebSecurity
public class SpringAuthorizationServerApp {

  /** Property naming the issuer, which must be exactly what the client is given. */
  static final String ISSUER_PROPERTY = "devicelogin.e2e.issuer";

  static final String USERS_PROPERTY_PREFIX = "devicelogin.e2e.password.";

  /** Public client: device_code and refresh_token, consent required, Spring's default interval. */
  static final String CLI = "devicelogin-cli";

  /** Public client whose codes live 2 s, polled every 1 s. */
  static final String BRIEF_CLI = "devicelogin-cli-brief";

  /**
   * Public client whose codes live 1.5 s at the server while the response advertises 6 s: stands
   * for a server whose codes die before the {@code expires_in} it announced, so that the server
   * rather than the client's clock ends the login.
   */
  static final String LAPSING_CLI = "devicelogin-cli-lapsing";

  /** Confidential client of a resource server, for token introspection only. */
  static final String RESOURCE_SERVER = "resource-server";

  static final List<String> USERS = List.of("alice", "bob");

  /** Client setting: the {@code interval} to announce, in seconds. */
  static final String INTERVAL = "devicelogin.e2e.interval-seconds";

  /** Client setting: the {@code expires_in} to announce instead of the real lifetime. */
  static final String ADVERTISED_LIFETIME = "devicelogin.e2e.advertised-lifetime";

  /**
   * Starts the server on {@code port} of the loopback interface, with Tomcat's files in {@code
   * tomcatDir} (by default Tomcat makes a directory in java.io.tmpdir and leaves it there).
   */
  static ConfigurableApplicationContext start(
      int port, Map<String, String> passwords, String resourceServerSecret, Path tomcatDir) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("server.address", "127.0.0.1");
    properties.put("server.port", port);
    properties.put("server.tomcat.basedir", tomcatDir.toString());
    properties.put(ISSUER_PROPERTY, "http://127.0.0.1:" + port);
    properties.put("devicelogin.e2e.resource-server-secret", resourceServerSecret);
    passwords.forEach((user, password) -> properties.put(USERS_PROPERTY_PREFIX + user, password));
    properties.put("spring.main.banner-mode", "off");
    properties.put("logging.level.root", "WARN");
    properties.put("logging.level.io.devicelogin", "TRACE");
    return new SpringApplicationBuilder(SpringAuthorizationServerApp.class)
        .properties(properties)
        .run();
  }

  @Bean
  @Order(1)
  SecurityFilterChain authorizationServerEndpoints(
      HttpSecurity http, RegisteredClientRepository clients, AuthorizationServerSettings settings)
      throws Exception {
    http.oauth2AuthorizationServer(
            server -> {
              http.securityMatcher(server.getEndpointsMatcher());
              server
                  .clientAuthentication(
                      client ->
                          client
                              .authenticationConverter(new PublicClientIdConverter(settings))
                              .authenticationProvider(new PublicClientIdProvider(clients)))
                  .deviceAuthorizationEndpoint(
                      device ->
                          device.deviceAuthorizationResponseHandler(
                              new DeviceAuthorizationResponseWriter(settings)))
                  .deviceVerificationEndpoint(Customizer.withDefaults());
            })
        .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
        // A person's browser that is not signed in goes to the login page (Spring's documented
        // set-up).
        .exceptionHandling(
            exceptions ->
                exceptions.defaultAuthenticationEntryPointFor(
                    new LoginUrlAuthenticationEntryPoint("/login"),
                    new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
    return http.build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain people(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
        .formLogin(Customizer.withDefaults());
    return http.build();
  }

  @Bean
  UserDetailsService users(Environment environment) {
    InMemoryUserDetailsManager manager = new InMemoryUserDetailsManager();
    for (String user : USERS) {
      String password = environment.getRequiredProperty(USERS_PROPERTY_PREFIX + user);
      manager.createUser(
          User.withUsername(user).password("{noop}" + password).roles("USER").build());
    }
    return manager;
  }

  @Bean
  RegisteredClientRepository registeredClients(Environment environment) {
    RegisteredClient cli =
        deviceClient(CLI)
            .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
            .tokenSettings(
                TokenSettings.builder()
                    .deviceCodeTimeToLive(Duration.ofMinutes(5))
                    .accessTokenTimeToLive(Duration.ofMinutes(5))
                    // Rotate on every refresh, as our own server does, so the client's handling of
                    // a
                    // new refresh token is exercised.
                    .reuseRefreshTokens(false)
                    .build())
            .build();
    RegisteredClient brief =
        deviceClient(BRIEF_CLI)
            .clientSettings(consentAndPollsEverySecond().build())
            .tokenSettings(
                TokenSettings.builder().deviceCodeTimeToLive(Duration.ofSeconds(2)).build())
            .build();
    RegisteredClient lapsing =
        deviceClient(LAPSING_CLI)
            .clientSettings(
                consentAndPollsEverySecond()
                    .setting(ADVERTISED_LIFETIME, Duration.ofSeconds(6))
                    .build())
            .tokenSettings(
                TokenSettings.builder().deviceCodeTimeToLive(Duration.ofMillis(1500)).build())
            .build();
    RegisteredClient resourceServer =
        RegisteredClient.withId(UUID.randomUUID().toString())
            .clientId(RESOURCE_SERVER)
            .clientSecret(
                "{noop}"
                    + environment.getRequiredProperty("devicelogin.e2e.resource-server-secret"))
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
            .build();
    return new InMemoryRegisteredClientRepository(cli, brief, lapsing, resourceServer);
  }

  /** Settings of the short-lived clients: consent is asked for, and polls come every second. */
  private static ClientSettings.Builder consentAndPollsEverySecond() {
    return ClientSettings.builder().requireAuthorizationConsent(true).setting(INTERVAL, 1L);
  }

  private static RegisteredClient.Builder deviceClient(String clientId) {
    return RegisteredClient.withId(UUID.randomUUID().toString())
        .clientId(clientId)
        .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
        .authorizationGrantType(AuthorizationGrantType.DEVICE_CODE)
        .scope("read")
        .scope("write")
        .clientSettings(ClientSettings.builder().requireAuthorizationConsent(true).build());
  }

  /**
   * The issuer is set explicitly rather than taken from each request's Host header, so that the
   * metadata names exactly the issuer the client was configured with.
   */
  @Bean
  AuthorizationServerSettings authorizationServerSettings(Environment environment) {
    return AuthorizationServerSettings.builder()
        .issuer(environment.getRequiredProperty(ISSUER_PROPERTY))
        .build();
  }

  @Bean
  JWKSource<SecurityContext> signingKeys() throws NoSuchAlgorithmException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    RSAKey key =
        new RSAKey.Builder((RSAPublicKey) pair.getPublic())
            .privateKey((RSAPrivateKey) pair.getPrivate())
            .keyID(UUID.randomUUID().toString())
            .build();
    return new ImmutableJWKSet<>(new JWKSet(key));
  }

  /** A client that identified itself by {@code client_id} alone, before and after the lookup. */
  static final class PublicClientIdToken extends OAuth2ClientAuthenticationToken {
    private static final long serialVersionUID = 1L;

    PublicClientIdToken(String clientId) {
      super(clientId, ClientAuthenticationMethod.NONE, null, null);
    }

    PublicClientIdToken(RegisteredClient client) {
      super(client, ClientAuthenticationMethod.NONE, null);
    }
  }

  /**
   * Reads {@code client_id} from a request that carries no other client credentials, at the
   * endpoints a device-flow client calls.
   */
  static final class PublicClientIdConverter implements AuthenticationConverter {
    private static final Set<String> TOKEN_GRANTS =
        Set.of(
            AuthorizationGrantType.DEVICE_CODE.getValue(),
            AuthorizationGrantType.REFRESH_TOKEN.getValue());

    private final AuthorizationServerSettings settings;

    PublicClientIdConverter(AuthorizationServerSettings settings) {
      this.settings = settings;
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
      if (!"POST".equals(request.getMethod())
          || request.getHeader("Authorization") != null
          || request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
          || request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION) != null) {
        return null;
      }
      String path = request.getRequestURI().substring(request.getContextPath().length());
      boolean deviceClientEndpoint =
          path.equals(settings.getDeviceAuthorizationEndpoint())
              || path.equals(settings.getTokenRevocationEndpoint())
              || (path.equals(settings.getTokenEndpoint())
                  && TOKEN_GRANTS.contains(request.getParameter(OAuth2ParameterNames.GRANT_TYPE)));
      if (!deviceClientEndpoint) {
        return null;
      }
      String[] clientId = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
      if (clientId == null || clientId.length != 1 || clientId[0].isBlank()) {
        throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_REQUEST);
      }
      return new PublicClientIdToken(clientId[0]);
    }
  }

  /** Accepts a {@link PublicClientIdToken} for a registered client whose method is {@code none}. */
  static final class PublicClientIdProvider implements AuthenticationProvider {
    private final RegisteredClientRepository clients;

    PublicClientIdProvider(RegisteredClientRepository clients) {
      this.clients = clients;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
      String clientId = ((PublicClientIdToken) authentication).getPrincipal().toString();
      RegisteredClient client = clients.findByClientId(clientId);
      if (client == null
          || !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)) {
        throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
      }
      return new PublicClientIdToken(client);
    }

    @Override
    public boolean supports(Class<?> authentication) {
      return PublicClientIdToken.class.isAssignableFrom(authentication);
    }
  }

  /**
   * Spring's own device authorization response (same URIs, same converter), plus {@code interval}
   * and, for {@link #LAPSING_CLI}, an announced lifetime longer than the real one.
   */
  static final class DeviceAuthorizationResponseWriter implements AuthenticationSuccessHandler {
    private final AuthorizationServerSettings settings;
    private final OAuth2DeviceAuthorizationResponseHttpMessageConverter converter =
        new OAuth2DeviceAuthorizationResponseHttpMessageConverter();

    DeviceAuthorizationResponseWriter(AuthorizationServerSettings settings) {
      this.settings = settings;
    }

    @Override
    public void onAuthenticationSuccess(
        HttpServletRequest request, HttpServletResponse response, Authentication authentication)
        throws IOException {
      OAuth2DeviceAuthorizationRequestAuthenticationToken result =
          (OAuth2DeviceAuthorizationRequestAuthenticationToken) authentication;
      RegisteredClient client =
          ((OAuth2ClientAuthenticationToken) result.getPrincipal()).getRegisteredClient();
      ClientSettings clientSettings = client.getClientSettings();

      OAuth2DeviceCode deviceCode = result.getDeviceCode();
      Duration advertised = clientSettings.getSetting(ADVERTISED_LIFETIME);
      if (advertised != null) {
        Instant issued = deviceCode.getIssuedAt();
        deviceCode =
            new OAuth2DeviceCode(deviceCode.getTokenValue(), issued, issued.plus(advertised));
      }
      // As Spring does it: the verification URI is built from the request, not from the issuer.
      RedirectUrlBuilder url = new RedirectUrlBuilder();
      url.setScheme(request.getScheme());
      url.setServerName(request.getServerName());
      url.setPort(request.getServerPort());
      url.setContextPath(request.getContextPath());
      url.setPathInfo(settings.getDeviceVerificationEndpoint());
      UriComponentsBuilder verification = UriComponentsBuilder.fromUriString(url.getUrl());
      String verificationUri = verification.build().toUriString();
      String verificationUriComplete =
          verification
              .queryParam(OAuth2ParameterNames.USER_CODE, result.getUserCode().getTokenValue())
              .build()
              .toUriString();
      OAuth2DeviceAuthorizationResponse.Builder body =
          OAuth2DeviceAuthorizationResponse.with(deviceCode, result.getUserCode())
              .verificationUri(verificationUri)
              .verificationUriComplete(verificationUriComplete);
      Long interval = clientSettings.getSetting(INTERVAL);
      if (interval != null) {
        body.interval(interval);
      }
      converter.write(body.build(), null, new ServletServerHttpResponse(response));
    }
  }
}
