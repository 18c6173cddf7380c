package io.devicelogin.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.wire.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test fixture, not a provider: a tiny OpenID Connect issuer on a loopback port, built from the
 * JDK's HTTP server and nimbus, so that the server's upstream sign-in meets a real one over real
 * sockets. It serves discovery, its JWKS, an authorization endpoint that signs in {@link #signsInAs
 * the person set} at once and redirects back (or with {@link #answersWithError an error}), and a
 * token endpoint that checks the code, the redirect URI, the PKCE verifier and the client, and
 * issues an RS256 ID token with the request's nonce. Register it with {@code @RegisterExtension
 * static}; it starts before the class and stops after.
 */
public final class TestIssuer implements BeforeAllCallback, AfterAllCallback {
  private final String clientId;
  private final Optional<String> clientSecret;
  private final RSAKey key;
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private HttpServer http;
  private volatile Clock clock = Clock.systemUTC();
  private volatile Map<String, Object> person = Map.of("sub", "alice-sub");
  private volatile String error;
  private volatile Map<String, String> lastAuthorizationRequest = Map.of();

  /** What an authorization request asked for, kept until its code is redeemed. */
  private record Grant(
      String redirectUri, String challenge, String nonce, Map<String, Object> who) {}

  /** An issuer for a public client ({@code clientSecret} empty) or a confidential one. */
  public TestIssuer(String clientId, Optional<String> clientSecret) {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    try {
      this.key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/.well-known/openid-configuration", this::discovery);
    http.createContext(
        "/jwks", ex -> json(ex, 200, Json.parseObject(new JWKSet(key.toPublicJWK()).toString())));
    http.createContext("/authorize", this::authorize);
    http.createContext("/token", this::token);
    http.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (http != null) {
      http.stop(0);
    }
  }

  /**
   * {@code http://localhost:PORT}, the issuer its ID tokens name: another host than the server's
   * {@code 127.0.0.1} in the tests' browsers, so that they do not send the server's cookies here (a
   * cookie is not bound to a port).
   */
  public String issuer() {
    return "http://localhost:" + http.getAddress().getPort();
  }

  /** ID tokens are issued by this clock's time: the server under test's. */
  public TestIssuer useClock(Clock c) {
    this.clock = c;
    return this;
  }

  /** The next sign-ins are of this person: {@code sub} and the other claims of the ID token. */
  public TestIssuer signsInAs(Map<String, Object> claims) {
    this.person = Map.copyOf(claims);
    this.error = null;
    return this;
  }

  /** The next authorization requests end with {@code error} (e.g. access_denied), as a cancel. */
  public TestIssuer answersWithError(String code) {
    this.error = code;
    return this;
  }

  /** The query of the last authorization request. */
  public Map<String, String> lastAuthorizationRequest() {
    return lastAuthorizationRequest;
  }

  private void discovery(HttpExchange ex) throws IOException {
    ObjectNode doc = Json.newObject();
    doc.put("issuer", issuer());
    doc.put("authorization_endpoint", issuer() + "/authorize");
    doc.put("token_endpoint", issuer() + "/token");
    doc.put("jwks_uri", issuer() + "/jwks");
    doc.putArray("response_types_supported").add("code");
    doc.putArray("code_challenge_methods_supported").add("S256");
    doc.putArray("id_token_signing_alg_values_supported").add("RS256");
    json(ex, 200, doc);
  }

  private void authorize(HttpExchange ex) throws IOException {
    Map<String, String> q = form(Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse(""));
    lastAuthorizationRequest = Map.copyOf(q);
    String redirect = q.getOrDefault("redirect_uri", "");
    if (!clientId.equals(q.get("client_id"))
        || !"code".equals(q.get("response_type"))
        || !"S256".equals(q.get("code_challenge_method"))
        || !redirect.startsWith("http")) {
      json(ex, 400, Json.newObject().put("error", "invalid_request"));
      return;
    }
    Map<String, String> back = new LinkedHashMap<>();
    if (error != null) {
      back.put("error", error);
    } else {
      String code = IssuedSecrets.fresh("code-");
      codes.put(code, new Grant(redirect, q.get("code_challenge"), q.get("nonce"), person));
      back.put("code", code);
    }
    back.put("state", q.getOrDefault("state", ""));
    ex.getResponseHeaders().add("Location", redirect + "?" + encode(back));
    ex.sendResponseHeaders(302, -1);
    ex.close();
  }

  private void token(HttpExchange ex) throws IOException {
    Map<String, String> f =
        form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    Grant grant = codes.remove(f.getOrDefault("code", ""));
    if (!authenticated(ex, f)) {
      json(ex, 401, Json.newObject().put("error", "invalid_client"));
      return;
    }
    if (grant == null
        || !"authorization_code".equals(f.get("grant_type"))
        || !grant.redirectUri().equals(f.get("redirect_uri"))
        || !grant.challenge().equals(s256(f.getOrDefault("code_verifier", "")))) {
      json(ex, 400, Json.newObject().put("error", "invalid_grant"));
      return;
    }
    ObjectNode answer = Json.newObject();
    answer.put("access_token", IssuedSecrets.fresh("at-"));
    answer.put("token_type", "Bearer");
    answer.put("expires_in", 300);
    answer.put("id_token", IssuedSecrets.register(idToken(grant)));
    json(ex, 200, answer);
  }

  private boolean authenticated(HttpExchange ex, Map<String, String> f) {
    if (clientSecret.isEmpty()) {
      return clientId.equals(f.get("client_id"));
    }
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (clientId + ":" + clientSecret.get()).getBytes(StandardCharsets.UTF_8));
    return expected.equals(ex.getRequestHeaders().getFirst("Authorization"));
  }

  private String idToken(Grant grant) {
    Instant now = clock.instant();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer())
            .audience(clientId)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
            .claim("nonce", grant.nonce());
    grant.who().forEach(claims::claim);
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
              claims.build());
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String s256(String verifier) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private static Map<String, String> form(String text) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      values.put(
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return values;
  }

  private static String encode(Map<String, String> values) {
    StringBuilder b = new StringBuilder();
    values.forEach(
        (k, v) ->
            b.append(b.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return b.toString();
  }
}
