package io.devicelogin.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.wire.GrantType;
import io.devicelogin.client.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The OAuth endpoints of a {@link TestServer} or a {@link ServerProcess} over real HTTP. Every
 * device code and token a response carries is registered with {@link IssuedSecrets} before the test
 * sees it.
 */
public final class OAuthCalls {
  /** The User-Agent these calls send, so that tests can find it in the audit trail. */
  public static final String USER_AGENT = "devicelogin-tests/1.0 (cli)";

  public static final String FORM = "application/x-www-form-urlencoded";

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final Function<String, URI> uris;
  private final String resourceServerSecret;
  private final Consumer<String> approver;

  /**
   * Calls to the server whose URLs {@code uris} makes from a path, introspecting with {@code
   * resourceServerSecret}; {@code approver} approves a user code as the demo user (in the server's
   * JVM for a {@link TestServer}, through the pages for a {@link ServerProcess}).
   */
  OAuthCalls(Function<String, URI> uris, String resourceServerSecret, Consumer<String> approver) {
    this.uris = uris;
    this.resourceServerSecret = resourceServerSecret;
    this.approver = approver;
  }

  /** An HTTP response, its body read as text. */
  public record Response(int status, Map<String, List<String>> headers, String body) {
    /** The body as a JSON object; fails the test if it is not one. */
    public JsonNode json() {
      try {
        return Json.parseObject(body);
      } catch (RuntimeException e) {
        throw new AssertionError("not a JSON object (HTTP " + status + "): " + abbreviated(), e);
      }
    }

    public Optional<String> header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream())
          .findFirst();
    }

    /** The {@code error} of an RFC 6749 §5.2 error object, checking that it is one. */
    public String error() {
      JsonNode json = json();
      assertThat(json.path("error").isTextual())
          .as("an `error` string in %s", abbreviated())
          .isTrue();
      assertThat(json.path("error").asText()).matches("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]+");
      if (json.has("error_description")) {
        assertThat(json.get("error_description").isTextual()).isTrue();
        assertThat(json.get("error_description").asText())
            .matches("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*");
      }
      return json.path("error").asText();
    }

    public String text(String member) {
      return json().path(member).asText();
    }

    String abbreviated() {
      return body.length() <= 300 ? body : body.substring(0, 300) + "…";
    }
  }

  /** A device authorization response, its device code registered as a secret. */
  public record DeviceCode(
      String deviceCode,
      String userCode,
      String verificationUri,
      String verificationUriComplete,
      long expiresIn,
      long interval,
      JsonNode json) {}

  /** A token response, its tokens registered as secrets. */
  public record Tokens(
      String accessToken, String refreshToken, String scope, long expiresIn, JsonNode json) {}

  // --- the endpoints -----------------------------------------------------------------------------

  public Response deviceAuthorization(String clientId, String scope) {
    return post(
        "/oauth2/device_authorization",
        scope == null ? form("client_id", clientId) : form("client_id", clientId, "scope", scope));
  }

  /**
   * A device authorization of {@code clientId} as if from {@code ip}, named in {@code
   * X-Forwarded-For} (the server must trust the test's loopback as its proxy).
   */
  public Response deviceAuthorizationFrom(String ip, String clientId) {
    return send(
        request("/oauth2/device_authorization")
            .header("X-Forwarded-For", ip)
            .header("Content-Type", FORM)
            .POST(HttpRequest.BodyPublishers.ofString(form("client_id", clientId))));
  }

  /** A device authorization that must succeed. */
  public DeviceCode deviceCode(String clientId, String scope) {
    return deviceCode(deviceAuthorization(clientId, scope));
  }

  /** The demo client asks for {@code openid profile offline_access}. */
  public DeviceCode deviceCode() {
    return deviceCode(TestClients.CLI, "openid profile offline_access");
  }

  public static DeviceCode deviceCode(Response r) {
    assertThat(r.status()).as("device authorization: %s", r.abbreviated()).isEqualTo(200);
    JsonNode json = r.json();
    String deviceCode = IssuedSecrets.register(json.path("device_code").asText());
    return new DeviceCode(
        deviceCode,
        json.path("user_code").asText(),
        json.path("verification_uri").asText(),
        json.path("verification_uri_complete").asText(null),
        json.path("expires_in").asLong(-1),
        json.path("interval").asLong(-1),
        json);
  }

  /** A poll of the token endpoint with the device code grant. */
  public Response poll(String clientId, String deviceCode) {
    return post(
        "/oauth2/token",
        form(
            "grant_type",
            GrantType.DEVICE_CODE.value(),
            "client_id",
            clientId,
            "device_code",
            deviceCode));
  }

  public Response poll(DeviceCode code) {
    return poll(TestClients.CLI, code.deviceCode());
  }

  public Response refresh(String clientId, String refreshToken, String scope) {
    return post(
        "/oauth2/token",
        scope == null
            ? form(
                "grant_type", "refresh_token", "client_id", clientId, "refresh_token", refreshToken)
            : form(
                "grant_type",
                "refresh_token",
                "client_id",
                clientId,
                "refresh_token",
                refreshToken,
                "scope",
                scope));
  }

  public Response refresh(Tokens tokens) {
    return refresh(TestClients.CLI, tokens.refreshToken(), null);
  }

  public Response revoke(String clientId, String token, String hint) {
    return post(
        "/oauth2/revoke",
        hint == null
            ? form("client_id", clientId, "token", token)
            : form("client_id", clientId, "token", token, "token_type_hint", hint));
  }

  /** Introspection as the resource server, authenticated with HTTP Basic. */
  public Response introspect(String token) {
    return introspectAs(TestClients.RESOURCE_SERVER, resourceServerSecret, token);
  }

  public Response introspectAs(String clientId, String secret, String token) {
    return post("/oauth2/introspect", basic(clientId, secret), form("token", token));
  }

  /** HTTP Basic of the resource server, the client that may introspect. */
  public String resourceServerBasic() {
    return basic(TestClients.RESOURCE_SERVER, resourceServerSecret);
  }

  /**
   * Whether introspection calls the token active; fails unless it answers 200 with {@code active}.
   */
  public boolean active(String token) {
    Response r = introspect(token);
    assertThat(r.status()).as("introspection: %s", r.abbreviated()).isEqualTo(200);
    assertThat(r.json().path("active").isBoolean()).isTrue();
    return r.json().path("active").asBoolean();
  }

  /**
   * Asserts that an access token is good here: introspection calls it active and issued by {@code
   * issuer}, and userinfo answers it.
   */
  public void assertAccepted(String accessToken, String issuer) {
    Response introspection = introspect(accessToken);
    assertThat(introspection.json().path("active").asBoolean()).as(introspection.body()).isTrue();
    assertThat(introspection.text("iss")).isEqualTo(issuer);
    assertThat(userinfo(accessToken).status()).isEqualTo(200);
  }

  public Response userinfo(String accessToken) {
    return send(request("/userinfo").header("Authorization", "Bearer " + accessToken).GET());
  }

  public Response get(String path) {
    return send(request(path).GET());
  }

  // --- flows -------------------------------------------------------------------------------------

  /** Reads a token response that must be one, registering its tokens. */
  public static Tokens tokens(Response r) {
    assertThat(r.status()).as("token response: %s", r.abbreviated()).isEqualTo(200);
    JsonNode json = r.json();
    String access = IssuedSecrets.register(json.path("access_token").asText());
    String refresh =
        json.hasNonNull("refresh_token")
            ? IssuedSecrets.register(json.get("refresh_token").asText())
            : null;
    assertThat(json.path("token_type").asText()).isEqualToIgnoringCase("Bearer");
    return new Tokens(
        access, refresh, json.path("scope").asText(null), json.path("expires_in").asLong(-1), json);
  }

  /**
   * Reads a token response that must be one, without registering its tokens for the leak checks:
   * for tests that issue thousands (the concurrency trials), whose registered tokens would make
   * every later test's check index millions of pieces. The leak checks of whole flows cover these
   * kinds of values.
   */
  public static Tokens unregisteredTokens(Response r) {
    assertThat(r.status()).as("token response: status %d", r.status()).isEqualTo(200);
    JsonNode json = r.json();
    return new Tokens(
        json.path("access_token").asText(),
        json.path("refresh_token").asText(null),
        json.path("scope").asText(null),
        json.path("expires_in").asLong(-1),
        json);
  }

  /** Asserts that a poll was answered {@code authorization_pending}. */
  public static void assertPending(Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.error()).isEqualTo("authorization_pending");
  }

  /**
   * Asserts that a poll was answered {@code slow_down} with {@code interval} seconds now in force.
   */
  public static void assertSlowDown(Response r, long interval) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.error()).isEqualTo("slow_down");
    assertThat(r.json().path("interval").asLong()).isEqualTo(interval);
  }

  /**
   * How many answers were token responses ("tokens") and how many each error ("400 invalid_grant").
   */
  public static Map<String, Integer> outcomes(List<Response> answers) {
    Map<String, Integer> outcomes = new TreeMap<>();
    for (Response r : answers) {
      outcomes.merge(r.status() == 200 ? "tokens" : r.status() + " " + r.error(), 1, Integer::sum);
    }
    return outcomes;
  }

  /**
   * The winner of a race for one code or refresh token: asserts that exactly one of the answers is
   * a token response and every other {@code invalid_grant}, and returns the token response.
   */
  public static Response theOneWinner(List<Response> answers) {
    assertThat(outcomes(answers))
        .as("answers")
        .isEqualTo(Map.of("400 invalid_grant", answers.size() - 1, "tokens", 1));
    return answers.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
  }

  /** Device authorization, approval by the demo user, and the one poll that receives tokens. */
  public Tokens signIn(String clientId, String scope) {
    DeviceCode code = deviceCode(clientId, scope);
    approver.accept(code.userCode());
    return tokens(poll(clientId, code.deviceCode()));
  }

  /** The demo client signs in for {@code openid profile offline_access}. */
  public Tokens signIn() {
    return signIn(TestClients.CLI, "openid profile offline_access");
  }

  // --- plumbing ----------------------------------------------------------------------------------

  /** POSTs a form body with the right content type. */
  public Response post(String path, String formBody) {
    return post(path, FORM, formBody.getBytes(StandardCharsets.UTF_8));
  }

  /** POSTs a form body with an {@code Authorization} header. */
  public Response post(String path, String authorization, String formBody) {
    return send(
        request(path)
            .header("Authorization", authorization)
            .header("Content-Type", FORM)
            .POST(HttpRequest.BodyPublishers.ofString(formBody)));
  }

  /** POSTs any bytes with any content type (null for none). */
  public Response post(String path, String contentType, byte[] body) {
    HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b);
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uris.apply(path))
        .timeout(Duration.ofSeconds(30))
        .header("User-Agent", USER_AGENT);
  }

  public Response send(HttpRequest.Builder request) {
    return send(request.build());
  }

  public static Response send(HttpRequest request) {
    try {
      HttpResponse<String> r =
          HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code application/x-www-form-urlencoded} of name, value, name, value… */
  public static String form(String... namesAndValues) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      parts.add(
          URLEncoder.encode(namesAndValues[i], StandardCharsets.UTF_8)
              + "="
              + URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
    }
    return String.join("&", parts);
  }

  /** An {@code application/x-www-form-urlencoded} body of {@code form}'s pairs, in its order. */
  public static String form(Map<String, String> form) {
    List<String> parts = new ArrayList<>();
    form.forEach((name, value) -> parts.add(form(name, value)));
    return String.join("&", parts);
  }

  /** HTTP Basic as RFC 6749 §2.3.1 has it: each part form-encoded first. */
  public static String basic(String clientId, String secret) {
    String pair =
        URLEncoder.encode(clientId, StandardCharsets.UTF_8)
            + ":"
            + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  public URI uri(String path) {
    return uris.apply(path);
  }
}
