package io.devicelogin.server.oauth;

import static io.devicelogin.server.oauth.OAuthErrorResponsesTest.assertOAuthError;
import static io.devicelogin.server.testing.BadInput.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.wire.GrantType;
import io.devicelogin.client.wire.Json;
import io.devicelogin.server.store.DeviceAuthorizationRecord;
import io.devicelogin.server.testing.BadInput;
import io.devicelogin.server.testing.LogCapture;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.DeviceCode;
import io.devicelogin.server.testing.OAuthCalls.Response;
import io.devicelogin.server.testing.OAuthCalls.Tokens;
import io.devicelogin.server.testing.RawHttp;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad requests to every OAuth endpoint over HTTP, one table row each. A row names the rule it
 * proves and the answer it must get: the RFC 6749 §5.2 error object (JSON, {@code no-store}) or the
 * 200 that RFC 7009 and RFC 7662 give for a token they do not know. Every row also proves that the
 * answer is not a 5xx, that no table of the store changed (the store is read before and after), and
 * that no log line of ours holds a control character or an error.
 *
 * <p>Malformed form bodies (content types, charsets, bad UTF-8 and escapes, repeated, nameless and
 * oversized parameters, parameters in the query string) at the four form endpoints are the table of
 * {@link OAuthErrorResponsesTest}, which checks the store the same way. This table holds the rest:
 * missing and empty parameters, grant types, tokens of the wrong kind or client, client
 * authentication, wrong methods, userinfo, metadata and JWKS, headers the HTTP parser refuses, and
 * bodies that never end.
 *
 * <p>The server trusts the loopback address as a proxy, so that {@code X-Forwarded-For} is read and
 * the rows about it mean something.
 */
@ServerOnEachBackend(
    args = {"--trusted-proxy", "127.0.0.1"},
    minutesBeforeEachTest = 1)
class BadInputOAuthTest {
  private static final String FORM = OAuthCalls.FORM;
  private static final String DEVICE_GRANT = GrantType.DEVICE_CODE.value();
  private static final String CLI = TestClients.CLI;
  private static final String RS = TestClients.RESOURCE_SERVER;

  @ServerUnderTest private static TestServer server;
  @ServerUnderTest private static OAuthCalls oauth;

  /** What a row's request may use: made for that row alone, before the store is read. */
  static final class Given {
    private DeviceCode code;
    private Tokens tokens;

    /** A pending device code of the demo client. */
    DeviceCode code() {
      if (code == null) {
        code = oauth.deviceCode();
      }
      return code;
    }

    /** An access and a refresh token of the demo client, for a grant of the demo user. */
    Tokens tokens() {
      if (tokens == null) {
        tokens = oauth.signIn();
      }
      return tokens;
    }

    String rsSecret() {
      return server.clients.resourceServerSecret;
    }
  }

  // --- requests ----------------------------------------------------------------------------------

  private static Supplier<Response> post(String path, String... namesAndValues) {
    return () -> oauth.post(path, OAuthCalls.form(namesAndValues));
  }

  private static Supplier<Response> postWith(
      String path, String authorization, String... namesAndValues) {
    return () -> oauth.post(path, authorization, OAuthCalls.form(namesAndValues));
  }

  /** A device code grant request (RFC 8628 §3.4) by a public client. */
  private static Supplier<Response> poll(String clientId, String deviceCode) {
    return () -> oauth.poll(clientId, deviceCode);
  }

  /** A refresh request (RFC 6749 §6) by a public client. */
  private static Supplier<Response> refresh(String clientId, String refreshToken) {
    return () -> oauth.refresh(clientId, refreshToken, null);
  }

  /** An introspection request (RFC 7662 §2.1) by the resource server. */
  private static Supplier<Response> introspect(String token) {
    return () -> oauth.introspect(token);
  }

  /** A revocation request (RFC 7009 §2.1) by a public client; {@code hint} may be null. */
  private static Supplier<Response> revoke(String clientId, String token, String hint) {
    return () -> oauth.revoke(clientId, token, hint);
  }

  private static Supplier<Response> method(String method, String path) {
    return () ->
        oauth.send(oauth.request(path).method(method, HttpRequest.BodyPublishers.noBody()));
  }

  private static Supplier<Response> getWith(String path, String authorization) {
    return () -> oauth.send(oauth.request(path).header("Authorization", authorization).GET());
  }

  /**
   * Exactly these bytes on the socket (lines joined by CRLF, then a blank line and {@code body}).
   */
  private static Supplier<Response> raw(String body, String... headLines) {
    String head =
        String.join("\r\n", headLines)
            + "\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: "
            + body.getBytes(StandardCharsets.ISO_8859_1).length
            + "\r\n\r\n";
    return () ->
        RawHttp.exchange(server.server.port(), (head + body).getBytes(StandardCharsets.ISO_8859_1))
            .response();
  }

  /** A form POST whose body never ends: chunked, or declared as 4 GiB. */
  private static Supplier<Response> endless(String path, boolean chunked) {
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
            + FORM
            + "\r\n"
            + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + (4L << 30))
            + "\r\n\r\n";
    byte[] unit =
        ("client_id=" + CLI + "&" + "a=b&".repeat(2048)).getBytes(StandardCharsets.US_ASCII);
    return () -> RawHttp.flood(server.server.port(), head, unit, chunked).response();
  }

  private static String basic(String id, String secret) {
    return OAuthCalls.basic(id, secret);
  }

  /** The access token with a wider scope in its payload, still under the original signature. */
  private static String widened(String jwt) {
    String[] parts = jwt.split("\\.");
    ObjectNode claims =
        Json.parseObject(
            new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    claims.put("scope", "openid profile email offline_access admin");
    String payload =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
    return IssuedSecrets.register(parts[0] + "." + payload + "." + parts[2]);
  }

  /** The access token's claims with {@code alg: none} and no signature. */
  private static String unsigned(String jwt) {
    String header =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                "{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8));
    return IssuedSecrets.register(header + "." + jwt.split("\\.")[1] + ".");
  }

  // --- answers -----------------------------------------------------------------------------------

  private static Consumer<Response> error(int status, String error) {
    return r -> assertOAuthError(r, status, error);
  }

  /**
   * RFC 7009 §2.2: a token the server does not know (or not as a token) is revoked all the same.
   */
  private static Consumer<Response> revocationAccepted() {
    return r -> {
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.header("Cache-Control")).contains("no-store");
      assertThat(r.body()).isEmpty();
    };
  }

  /** RFC 7662 §2.2: anything that is not an active token is just {@code active: false}. */
  private static Consumer<Response> inactive() {
    return r -> {
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.header("Cache-Control")).contains("no-store");
      assertThat(r.json()).isEqualTo(Json.parseObject("{\"active\":false}"));
    };
  }

  private static Consumer<Response> methodNotAllowed(String allow) {
    return r -> {
      assertOAuthError(r, 405, "invalid_request");
      assertThat(r.header("Allow")).contains(allow);
    };
  }

  /** Jetty refuses the request line or a header before any endpoint runs: its own 400, not ours. */
  private static Consumer<Response> refusedByTheHttpParser() {
    return refusedByTheHttpParser(400);
  }

  private static Consumer<Response> refusedByTheHttpParser(int status) {
    return r -> {
      assertThat(r.status()).as(r.body()).isEqualTo(status);
      assertThat(r.header("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).doesNotContain("json"));
    };
  }

  // --- the table ---------------------------------------------------------------------------------

  static Stream<BadInput<Given, Response>> rows() {
    List<BadInput<Given, Response>> rows = new ArrayList<>();
    String device = "/oauth2/device_authorization";
    String token = "/oauth2/token";
    String revoke = "/oauth2/revoke";
    String introspect = "/oauth2/introspect";

    // Device authorization request (RFC 8628 §3.1) and client authentication (RFC 6749 §2.3).
    rows.add(
        row(
            "device authorization: an empty client_id counts as none (§3.1), so invalid_client",
            g -> post(device, "client_id", "", "scope", "openid"),
            error(401, "invalid_client")));
    rows.add(
        row(
            "device authorization: a public client's id with a secret in Basic is invalid_client",
            g -> postWith(device, basic(CLI, "guessed-secret"), "scope", "openid"),
            error(401, "invalid_client")));
    rows.add(
        row(
            "device authorization: a confidential client without its secret is invalid_client",
            g -> post(device, "client_id", RS),
            error(401, "invalid_client")));
    rows.add(
        row(
            "device authorization: a confidential client with a wrong secret in Basic is invalid_client",
            g -> postWith(device, basic(RS, "wrong-secret")),
            error(401, "invalid_client")));
    rows.add(
        row(
            "device authorization: Basic with a malformed percent-escape is invalid_client",
            g -> postWith(device, "Basic " + b64("%zz:secret")),
            error(401, "invalid_client")));
    rows.add(
        row(
            "device authorization: Basic with bytes that are not UTF-8 names no client, invalid_client",
            g ->
                postWith(
                    device,
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(new byte[] {(byte) 0xff, 'x', ':', 'y'})),
            error(401, "invalid_client")));
    rows.add(
        row(
            "device authorization: Basic naming one client and client_id another is invalid_request",
            g -> postWith(device, basic(RS, g.rsSecret()), "client_id", CLI),
            error(400, "invalid_request")));
    rows.add(
        row(
            "device authorization: a scope of spaces only is invalid_scope",
            g -> post(device, "client_id", CLI, "scope", "   "),
            error(400, "invalid_scope")));
    rows.add(
        row(
            "device authorization: CR LF in client_id is invalid_request and becomes no header",
            g -> post(device, "client_id", CLI + "\r\nX-Injected: 1", "scope", "openid"),
            r -> {
              assertOAuthError(r, 400, "invalid_request");
              assertThat(r.header("X-Injected")).isEmpty();
            }));

    // Token request: grant types (RFC 6749 §5.2 unsupported_grant_type) and missing parameters.
    rows.add(
        row(
            "token: an empty grant_type counts as none (§3.1), so invalid_request",
            g -> post(token, "grant_type", "", "client_id", CLI, "refresh_token", "x"),
            error(400, "invalid_request")));
    rows.add(
        row(
            "token: grant types are case-sensitive, REFRESH_TOKEN is unsupported_grant_type",
            g -> post(token, "grant_type", "REFRESH_TOKEN", "client_id", CLI, "refresh_token", "x"),
            error(400, "unsupported_grant_type")));
    rows.add(
        row(
            "token: an empty device_code counts as none, so invalid_request",
            g -> post(token, "grant_type", DEVICE_GRANT, "client_id", CLI, "device_code", ""),
            error(400, "invalid_request")));
    rows.add(
        row(
            "token: an empty refresh_token counts as none, so invalid_request",
            g -> post(token, "grant_type", "refresh_token", "client_id", CLI, "refresh_token", ""),
            error(400, "invalid_request")));
    rows.add(
        row(
            "token: a grant request without client authentication is invalid_client",
            g -> post(token, "grant_type", DEVICE_GRANT, "device_code", g.code().deviceCode()),
            error(401, "invalid_client")));
    rows.add(
        row(
            "token: a confidential client with a wrong client_secret in the form is invalid_client",
            g ->
                post(
                    token,
                    "grant_type",
                    "refresh_token",
                    "client_id",
                    RS,
                    "client_secret",
                    "wrong",
                    "refresh_token",
                    g.tokens().refreshToken()),
            error(401, "invalid_client")));

    // Tokens of the wrong kind or of another client: invalid_grant, and the token stays as it was.
    rows.add(
        row(
            "token: a refresh token presented as a device_code is invalid_grant",
            g -> poll(CLI, g.tokens().refreshToken()),
            error(400, "invalid_grant")));
    rows.add(
        row(
            "token: an access token presented as a device_code is invalid_grant",
            g -> poll(CLI, g.tokens().accessToken()),
            error(400, "invalid_grant")));
    rows.add(
        row(
            "token: a device code of 4096 characters is an unknown code, invalid_grant",
            g -> poll(CLI, "A".repeat(4096)),
            error(400, "invalid_grant")));
    rows.add(
        row(
            "token: a live device code polled by a client without the device grant is unauthorized_client",
            g ->
                postWith(
                    token,
                    basic(RS, g.rsSecret()),
                    "grant_type",
                    DEVICE_GRANT,
                    "device_code",
                    g.code().deviceCode()),
            error(400, "unauthorized_client")));
    rows.add(
        row(
            "token: an access token presented as a refresh_token is invalid_grant",
            g -> refresh(CLI, g.tokens().accessToken()),
            error(400, "invalid_grant")));
    rows.add(
        row(
            "token: a live device code presented as a refresh_token is invalid_grant",
            g -> refresh(CLI, g.code().deviceCode()),
            error(400, "invalid_grant")));
    rows.add(
        row(
            "token: a refresh token presented by a client without refresh tokens is unauthorized_client",
            g -> refresh(TestClients.NO_REFRESH_CLI, g.tokens().refreshToken()),
            error(400, "unauthorized_client")));

    // Revocation (RFC 7009): only the right client's real tokens revoke anything.
    rows.add(
        row(
            "revocation: an empty token counts as none, so invalid_request",
            g -> post(revoke, "client_id", CLI, "token", ""),
            error(400, "invalid_request")));
    rows.add(
        row(
            "revocation: no client authentication is invalid_client",
            g -> post(revoke, "token", g.tokens().refreshToken()),
            error(401, "invalid_client")));
    rows.add(
        row(
            "revocation: a public client sending a client_secret is invalid_client",
            g ->
                post(
                    revoke,
                    "client_id",
                    CLI,
                    "client_secret",
                    "x",
                    "token",
                    g.tokens().refreshToken()),
            error(401, "invalid_client")));
    rows.add(
        row(
            "revocation: a live device code is not a token; 200 and the code is untouched (§2.2)",
            g -> revoke(CLI, g.code().deviceCode(), null),
            revocationAccepted()));
    rows.add(
        row(
            "revocation: a device code with token_type_hint=device_code is not a token either",
            g -> revoke(CLI, g.code().deviceCode(), "device_code"),
            revocationAccepted()));
    rows.add(
        row(
            "revocation: an unknown token with an unknown hint is 200 and revokes nothing",
            g -> revoke(CLI, "not-a-token", "bogus_hint"),
            revocationAccepted()));
    rows.add(
        row(
            "revocation: another client's access token, hinted as a refresh token, is unauthorized_client",
            g -> revoke(TestClients.OTHER_CLI, g.tokens().accessToken(), "refresh_token"),
            error(400, "unauthorized_client")));
    rows.add(
        row(
            "revocation: another client's refresh token, hinted as an access token, is unauthorized_client",
            g -> revoke(TestClients.OTHER_CLI, g.tokens().refreshToken(), "access_token"),
            error(400, "unauthorized_client")));

    // Introspection (RFC 7662).
    rows.add(
        row(
            "introspection: a live device code is not a token: active false",
            g -> introspect(g.code().deviceCode()),
            inactive()));
    rows.add(
        row(
            "introspection: an access token whose payload was widened is not active",
            g -> introspect(widened(g.tokens().accessToken())),
            inactive()));
    rows.add(
        row(
            "introspection: an unsigned (alg none) copy of an access token is not active",
            g -> introspect(unsigned(g.tokens().accessToken())),
            inactive()));
    rows.add(
        row(
            "introspection: Basic for the resource server with client_id of another is invalid_request",
            g -> postWith(introspect, basic(RS, g.rsSecret()), "client_id", CLI, "token", "x"),
            error(400, "invalid_request")));

    rows.add(
        row(
            "introspection: two Authorization headers, the right Basic first, are invalid_request",
            g ->
                () ->
                    oauth.send(
                        oauth
                            .request(introspect)
                            .header("Authorization", basic(RS, g.rsSecret()))
                            .header("Authorization", basic(TestClients.REPORTING, "x"))
                            .header("Content-Type", FORM)
                            .POST(
                                HttpRequest.BodyPublishers.ofString(
                                    OAuthCalls.form("token", "x")))),
            error(400, "invalid_request")));

    // Userinfo (RFC 6750 bearer tokens).
    rows.add(
        row(
            "userinfo: a device code as the bearer token is invalid_token",
            g -> getWith("/userinfo", "Bearer " + g.code().deviceCode()),
            error(401, "invalid_token")));
    rows.add(
        row(
            "userinfo: an access token whose payload was widened is invalid_token",
            g -> getWith("/userinfo", "Bearer " + widened(g.tokens().accessToken())),
            error(401, "invalid_token")));
    rows.add(
        row(
            "userinfo: an unsigned (alg none) copy of an access token is invalid_token",
            g -> getWith("/userinfo", "Bearer " + unsigned(g.tokens().accessToken())),
            error(401, "invalid_token")));
    rows.add(
        row(
            "userinfo: two Authorization headers, a valid bearer token first, are invalid_request (§2)",
            g -> {
              String accessToken = g.tokens().accessToken();
              return () ->
                  oauth.send(
                      oauth
                          .request("/userinfo")
                          .header("Authorization", "Bearer " + accessToken)
                          .header("Authorization", "Bearer other")
                          .GET());
            },
            error(400, "invalid_request")));
    rows.add(
        row(
            "userinfo: Basic credentials are not a bearer token, invalid_token",
            g -> getWith("/userinfo", basic(RS, g.rsSecret())),
            error(401, "invalid_token")));
    rows.add(
        row(
            "userinfo: an access token in the query string is not read (RFC 6750 §2.3 is not offered)",
            g -> {
              String accessToken = g.tokens().accessToken();
              return () -> oauth.get("/userinfo?access_token=" + accessToken);
            },
            error(401, "invalid_token")));
    rows.add(
        row(
            "userinfo: an access token in a form body is not read (RFC 6750 §2.2 is not offered)",
            g -> post("/userinfo", "access_token", g.tokens().accessToken()),
            error(401, "invalid_token")));

    // Wrong methods: 405 with Allow, as an OAuth error object.
    rows.add(
        row(
            "wrong method: PUT on the device authorization endpoint is 405, Allow: POST",
            g -> method("PUT", device),
            methodNotAllowed("POST")));
    rows.add(
        row(
            "wrong method: DELETE on the token endpoint is 405, Allow: POST",
            g -> method("DELETE", token),
            methodNotAllowed("POST")));
    rows.add(
        row(
            "wrong method: HEAD on the revocation endpoint is 405, Allow: POST",
            g -> method("HEAD", revoke),
            r -> {
              assertThat(r.status()).isEqualTo(405);
              assertThat(r.header("Allow")).contains("POST");
              assertThat(r.body()).isEmpty();
            }));
    rows.add(
        row(
            "wrong method: PATCH on the introspection endpoint is 405, Allow: POST",
            g -> method("PATCH", introspect),
            methodNotAllowed("POST")));
    rows.add(
        row(
            "wrong method: DELETE on userinfo is 405, Allow: GET and POST",
            g -> method("DELETE", "/userinfo"),
            methodNotAllowed("GET, POST")));
    rows.add(
        row(
            "wrong method: POST on the metadata is 405, Allow: GET",
            g -> post("/.well-known/oauth-authorization-server", "issuer", "https://evil.example"),
            methodNotAllowed("GET")));
    rows.add(
        row(
            "wrong method: PUT on the OpenID configuration is 405, Allow: GET",
            g -> method("PUT", "/.well-known/openid-configuration"),
            methodNotAllowed("GET")));
    rows.add(
        row(
            "wrong method: POST on the JWKS is 405, Allow: GET",
            g -> post("/jwks", "keys", "[]"),
            methodNotAllowed("GET")));
    rows.add(
        row(
            "metadata: a malformed escape in the query string is ignored; the document is served",
            g -> raw("", "GET /.well-known/oauth-authorization-server?x=%zz HTTP/1.1"),
            r -> {
              assertThat(r.status()).isEqualTo(200);
              assertThat(r.json().path("issuer").asText()).isEqualTo(server.issuer());
            }));
    rows.add(
        row(
            "JWKS: a malformed escape in the query string is ignored; the keys are served",
            g -> raw("", "GET /jwks?%zz HTTP/1.1"),
            r -> {
              assertThat(r.status()).isEqualTo(200);
              assertThat(r.json().path("keys").isArray()).isTrue();
            }));

    // Headers and request lines the HTTP parser refuses: they never reach an endpoint.
    String form = "client_id=" + CLI;
    String post = "POST " + device + " HTTP/1.1";
    String type = "Content-Type: " + FORM;
    rows.add(
        row(
            "header injection: a CR inside the User-Agent is refused by the HTTP parser",
            g -> raw(form, post, type, "User-Agent: tool/1.0\rX-Injected: 1"),
            refusedByTheHttpParser()));
    rows.add(
        row(
            "header injection: a folded (obs-fold) User-Agent line is refused by the HTTP parser",
            g -> raw(form, post, type, "User-Agent: tool/1.0", " X-Injected: 1"),
            refusedByTheHttpParser()));
    rows.add(
        row(
            "header injection: NUL and ESC in the User-Agent are refused by the HTTP parser",
            g -> raw(form, post, type, "User-Agent: tool\u0000/1.0\u001b[31m"),
            refusedByTheHttpParser()));
    rows.add(
        row(
            "header injection: ESC in X-Forwarded-For is refused by the HTTP parser",
            g -> raw(form, post, type, "X-Forwarded-For: 203.0.113.9\u001b[2J"),
            refusedByTheHttpParser()));
    rows.add(
        row(
            "header injection: a bare CR in the Authorization header is refused by the HTTP parser",
            g -> raw(form, post, type, "Authorization: Basic " + b64("a") + "\r\rb"),
            refusedByTheHttpParser()));
    rows.add(
        row(
            "request line: a malformed escape in the path is refused by the HTTP parser",
            g -> raw(form, "POST /oauth2/%zz HTTP/1.1", type),
            refusedByTheHttpParser()));

    rows.add(
        row(
            "header size: an Authorization header over 8 KiB is refused by the HTTP parser, 431",
            g -> getWith("/userinfo", "Bearer " + "t".repeat(9 * 1024)),
            refusedByTheHttpParser(431)));
    rows.add(
        row(
            "header size: a Cookie over 8 KiB is refused by the HTTP parser, 431",
            g ->
                () ->
                    oauth.send(
                        oauth
                            .request(device)
                            .header("Cookie", "dl_session=" + "c".repeat(9 * 1024))
                            .header("Content-Type", FORM)
                            .POST(HttpRequest.BodyPublishers.ofString(form))),
            refusedByTheHttpParser(431)));
    rows.add(
        row(
            "request line: a request target over 8 KiB is refused by the HTTP parser, 414",
            g -> () -> oauth.get("/.well-known/openid-configuration?q=" + "q".repeat(9 * 1024)),
            refusedByTheHttpParser(414)));

    // Bodies that never end: answered at once from the first 16 KiB, never read to the end.
    for (String path : List.of(device, token, revoke, introspect)) {
      rows.add(
          row(
              path + ": an endless chunked body is refused early, invalid_request",
              g -> endless(path, true),
              error(400, "invalid_request")));
      rows.add(
          row(
              path + ": a body declared as 4 GiB is refused early, invalid_request",
              g -> endless(path, false),
              error(400, "invalid_request")));
    }
    rows.add(
        row(
            "userinfo: an endless chunked body is not read; no token, invalid_token",
            g -> endless("/userinfo", true),
            error(401, "invalid_token")));
    return rows.stream();
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void isRefusedAndChangesNothing(BadInput<Given, Response> row) {
    row.assertRefusedAndChangesNothing(server, new Given(), Response::status);
  }

  // --- accepted requests with hostile headers
  // -----------------------------------------------------

  /** A device authorization that succeeds, sent with these extra header lines. */
  record Hostile(String rule, List<String> headLines, String storedIp, String storedUserAgent) {
    @Override
    public String toString() {
      return rule;
    }
  }

  static Stream<Hostile> hostileHeaders() {
    return Stream.of(
        new Hostile(
            "a bare LF ends the User-Agent: what follows is a header of its own, not part of it",
            List.of("User-Agent: tool/1.0\nX-Injected: 1"),
            "127.0.0.1",
            "tool/1.0"),
        new Hostile(
            "C1 controls (NEL, CSI) in the User-Agent are dropped before it is stored or logged",
            List.of("User-Agent: tool/1.0 \u0085\u009b2J"),
            "127.0.0.1",
            "tool/1.0 2J"),
        new Hostile(
            "a User-Agent of 2000 characters is stored cut to 512",
            List.of("User-Agent: " + "u".repeat(2000)),
            "127.0.0.1",
            "u".repeat(512)),
        new Hostile(
            "X-Forwarded-For that names no address leaves the trusted proxy as the client",
            List.of("User-Agent: tool/1.0", "X-Forwarded-For: <script>alert(1)</script>"),
            "127.0.0.1",
            "tool/1.0"),
        new Hostile(
            "X-Forwarded-For with obs-text after an address is not an address",
            List.of("User-Agent: tool/1.0", "X-Forwarded-For: 203.0.113.9\u0085"),
            "127.0.0.1",
            "tool/1.0"),
        new Hostile(
            "X-Forwarded-For with a valid address through the trusted proxy names the client",
            List.of("User-Agent: tool/1.0", "X-Forwarded-For: 203.0.113.9"),
            "203.0.113.9",
            "tool/1.0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileHeaders")
  void hostileHeadersOfAnAcceptedRequestAreStoredClean(Hostile hostile) {
    List<String> head = new ArrayList<>();
    head.add("POST /oauth2/device_authorization HTTP/1.1");
    head.add("Content-Type: " + FORM);
    head.addAll(hostile.headLines());
    Response r;
    List<String> logged;
    List<String> unsafe;
    try (LogCapture logs = LogCapture.start()) {
      r = raw("client_id=" + CLI + "&scope=openid", head.toArray(String[]::new)).get();
      logged = logs.ours();
      unsafe = logs.withControlCharacters();
    }
    DeviceCode code = OAuthCalls.deviceCode(r);
    assertThat(r.header("X-Injected")).isEmpty();
    DeviceAuthorizationRecord stored = server.pending(code.userCode());
    assertThat(stored.requestIp()).isEqualTo(hostile.storedIp());
    assertThat(stored.requestUserAgent()).isEqualTo(hostile.storedUserAgent());
    assertThat(logged).as("the audit line of the new code").isNotEmpty();
    assertThat(unsafe).as("log lines with control characters").isEmpty();
  }
}
