package io.devicelogin.e2e.interop;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * Spring Authorization Server as an organisation's OpenID Connect provider, the upstream that
 * devicelogin's "Sign in with …" sends people to: the authorization code flow with PKCE required,
 * one confidential client ({@code client_secret_basic}) whose only redirect URI is devicelogin's
 * {@code {issuer}/login/corp/callback}, form login for one person, and an ID token that carries
 * {@code groups}, {@code preferred_username}, {@code email} and {@code email_verified} (a token
 * customizer, as an organisation's provider would be configured to). Everything else is Spring's
 * own: discovery, JWKS, the token endpoint, the login page.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableWebSecurity
public class SpringOidcProviderApp {
  /** The client devicelogin is registered as. */
  public static final String CLIENT = "devicelogin";

  /** The one person of this provider. */
  public static final String PERSON = "carol";

  /** The groups the ID token says {@link #PERSON} is in. */
  public static final List<String> GROUPS = List.of("ops", "inventory-admins");

  private static final String ISSUER = "devicelogin.e2e.oidc.issuer";
  private static final String REDIRECT = "devicelogin.e2e.oidc.redirect-uri";
  private static final String SECRET = "devicelogin.e2e.oidc.client-secret";
  private static final String PASSWORD = "devicelogin.e2e.oidc.password";

  /** A free port of the loopback interface: the issuer is needed before the server listens. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Starts the provider at {@code http://127.0.0.1:PORT}, registering {@code redirectUri} for the
   * client, with Tomcat's files in {@code tomcatDir}.
   */
  public static ConfigurableApplicationContext start(
      int port, String redirectUri, String clientSecret, String password, Path tomcatDir) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("server.address", "127.0.0.1");
    properties.put("server.port", port);
    properties.put("server.tomcat.basedir", tomcatDir.toString());
    properties.put(ISSUER, "http://127.0.0.1:" + port);
    properties.put(REDIRECT, redirectUri);
    properties.put(SECRET, clientSecret);
    properties.put(PASSWORD, password);
    properties.put("spring.main.banner-mode", "off");
    properties.put("logging.level.root", "WARN");
    return new SpringApplicationBuilder(SpringOidcProviderApp.class).properties(properties).run();
  }

  @Bean
  @Order(1)
  SecurityFilterChain authorizationServerEndpoints(HttpSecurity http) throws Exception {
    http.oauth2AuthorizationServer(
            server -> {
              http.securityMatcher(server.getEndpointsMatcher());
              server.oidc(Customizer.withDefaults());
            })
        .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
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
    return new InMemoryUserDetailsManager(
        User.withUsername(PERSON)
            .password("{noop}" + environment.getRequiredProperty(PASSWORD))
            .roles("USER")
            .build());
  }

  @Bean
  RegisteredClientRepository registeredClients(Environment environment) {
    RegisteredClient devicelogin =
        RegisteredClient.withId(UUID.randomUUID().toString())
            .clientId(CLIENT)
            .clientSecret("{noop}" + environment.getRequiredProperty(SECRET))
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUri(environment.getRequiredProperty(REDIRECT))
            .scope(OidcScopes.OPENID)
            .scope(OidcScopes.PROFILE)
            .scope(OidcScopes.EMAIL)
            .clientSettings(
                ClientSettings.builder()
                    .requireProofKey(true)
                    .requireAuthorizationConsent(false)
                    .build())
            .build();
    return new InMemoryRegisteredClientRepository(devicelogin);
  }

  /** The claims an organisation's provider puts in its ID tokens. */
  @Bean
  OAuth2TokenCustomizer<JwtEncodingContext> idTokenClaims() {
    return context -> {
      if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
        String name = context.getPrincipal().getName();
        context
            .getClaims()
            .claim("preferred_username", name)
            .claim("name", "Carol Example")
            .claim("email", name + "@corp.example")
            .claim("email_verified", true)
            .claim("groups", GROUPS);
      }
    };
  }

  @Bean
  AuthorizationServerSettings authorizationServerSettings(Environment environment) {
    return AuthorizationServerSettings.builder()
        .issuer(environment.getRequiredProperty(ISSUER))
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
}
