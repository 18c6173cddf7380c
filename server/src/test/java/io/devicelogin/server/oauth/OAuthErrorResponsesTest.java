package io.devicelogin.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.wire.GrantType;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.Response;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.StoreSnapshot;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every OAuth error is an RFC 6749 §5.2 JSON object ({@code error}, optional {@code
 * error_description}, never cached) with the right status; malformed, duplicated and oversized
 * parameters, a wrong content type, invalid UTF-8 and parameters in the query string are {@code
 * invalid_request} on every endpoint and change nothing in the store, and nothing a client sends
 * makes a 500. {@link BadInputOAuthTest} holds the other bad requests, checked the same way.
 */
@ServerOnEachBackend(minutesBeforeEachTest = 1)
class OAuthErrorResponsesTest {
  private static final List<String> ENDPOINTS =
      List.of(
          "/oauth2/device_authorization", "/oauth2/token", "/oauth2/revoke", "/oauth2/introspect");
  private static final String DEVICE_GRANT =
      "grant_type=" + GrantType.DEVICE_CODE.value().replace(":", "%3A");

  @ServerUnderTest private static TestServer server;
  @ServerUnderTest private static OAuthCalls oauth;

  /** Asserts an RFC 6749 §5.2 error object with this status and code. */
  static void assertOAuthError(Response r, int status, String error) {
    assertThat(r.status()).as("status of %s", r.body()).isEqualTo(status);
    assertThat(r.header("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(r.header("Cache-Control")).contains("no-store");
    assertThat(r.error()).isEqualTo(error);
    assertThat(r.json().properties())
        .extracting(Map.Entry::getKey)
        .isSubsetOf("error", "error_description", "error_uri", "interval");
    if (status == 401) {
      assertThat(r.header("WWW-Authenticate")).isPresent();
    }
  }

  /** A body that is wrong however the endpoint would read it, with the content type to send. */
  record Malformed(String name, String contentType, byte[] body, String query) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static Stream<Arguments> malformedRequests() {
    String client = "client_id=" + TestClients.CLI;
    List<Malformed> cases = new ArrayList<>();
    cases.add(
        new Malformed(
            "JSON instead of a form",
            "application/json",
            bytes("{\"client_id\":\"devicelogin-cli\"}"),
            null));
    cases.add(new Malformed("text/plain", "text/plain", bytes(client), null));
    cases.add(new Malformed("no content type", null, bytes(client), null));
    cases.add(new Malformed("multipart", "multipart/form-data; boundary=x", bytes("--x--"), null));
    cases.add(
        new Malformed(
            "a charset other than UTF-8",
            OAuthCalls.FORM + "; charset=ISO-8859-1",
            bytes(client),
            null));
    cases.add(
        new Malformed(
            "a media type that only begins like a form",
            OAuthCalls.FORM + "x",
            bytes(client),
            null));
    cases.add(
        new Malformed(
            "a charset that only begins like UTF-8",
            OAuthCalls.FORM + "; charset=utf-8x",
            bytes(client),
            null));
    cases.add(
        new Malformed(
            "a second charset, not UTF-8",
            OAuthCalls.FORM + "; charset=utf-8; charset=ISO-8859-1",
            bytes(client),
            null));
    cases.add(
        new Malformed(
            "raw bytes that are not UTF-8",
            OAuthCalls.FORM,
            concat(bytes(client + "&scope=openid&x="), new byte[] {(byte) 0xC3, (byte) 0x28}),
            null));
    cases.add(
        new Malformed(
            "percent-encoded bytes that are not UTF-8",
            OAuthCalls.FORM,
            bytes(client + "&x=%C3%28"),
            null));
    cases.add(
        new Malformed(
            "an overlong UTF-8 encoding", OAuthCalls.FORM, bytes(client + "&x=%C0%AF"), null));
    cases.add(
        new Malformed(
            "an encoded surrogate", OAuthCalls.FORM, bytes(client + "&x=%ED%A0%80"), null));
    cases.add(
        new Malformed("a broken percent escape", OAuthCalls.FORM, bytes(client + "&x=%zz"), null));
    cases.add(
        new Malformed(
            "a truncated percent escape", OAuthCalls.FORM, bytes(client + "&x=%4"), null));
    cases.add(
        new Malformed("a parameter twice", OAuthCalls.FORM, bytes(client + "&" + client), null));
    cases.add(
        new Malformed(
            "a parameter twice, once empty",
            OAuthCalls.FORM,
            bytes(client + "&token=&token=x"),
            null));
    cases.add(
        new Malformed(
            "a parameter longer than 4096",
            OAuthCalls.FORM,
            bytes(client + "&x=" + "a".repeat(4097)),
            null));
    cases.add(
        new Malformed(
            "a body larger than 16 KiB",
            OAuthCalls.FORM,
            bytes(client + "&" + "a=b&".repeat(4200) + "z=1"),
            null));
    cases.add(
        new Malformed("a control character", OAuthCalls.FORM, bytes(client + "&x=a%00b"), null));
    cases.add(new Malformed("a line break", OAuthCalls.FORM, bytes(client + "&x=a%0Ab"), null));
    cases.add(
        new Malformed("a parameter without a name", OAuthCalls.FORM, bytes(client + "&=x"), null));
    cases.add(
        new Malformed("parameters in the query string", OAuthCalls.FORM, bytes(client), client));
    List<Arguments> out = new ArrayList<>();
    for (String endpoint : ENDPOINTS) {
      for (Malformed m : cases) {
        out.add(Arguments.of(endpoint, m));
      }
    }
    return out.stream();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("malformedRequests")
  void malformedRequestsAreInvalidRequestNeverA500(String endpoint, Malformed m) {
    HttpRequest.Builder request =
        oauth
            .request(endpoint + (m.query() == null ? "" : "?" + m.query()))
            .POST(HttpRequest.BodyPublishers.ofByteArray(m.body()));
    if (m.contentType() != null) {
      request.header("Content-Type", m.contentType());
    }
    StoreSnapshot.settle(server);
    StoreSnapshot before = StoreSnapshot.of(server);
    assertOAuthError(oauth.send(request), 400, "invalid_request");
    StoreSnapshot.of(server).assertUnchangedSince(before);
  }

  @Test
  void aHugeBodyWithoutContentLengthIsInvalidRequestNeverA500() {
    StoreSnapshot.settle(server);
    StoreSnapshot before = StoreSnapshot.of(server);
    for (String endpoint : ENDPOINTS) {
      byte[] big = bytes("client_id=devicelogin-cli&" + "a=b&".repeat(40_000) + "z=1");
      Response r =
          oauth.send(
              oauth
                  .request(endpoint)
                  .header("Content-Type", OAuthCalls.FORM)
                  .POST(
                      HttpRequest.BodyPublishers.ofInputStream(
                          () -> new ByteArrayInputStream(big))));
      assertThat(r.status()).as("%s: %s", endpoint, r.body()).isIn(400, 413);
      assertThat(r.error()).isEqualTo("invalid_request");
    }
    StoreSnapshot.of(server).assertUnchangedSince(before);
  }

  @Test
  void aMissingGrantTypeIsInvalidRequest() {
    assertOAuthError(
        oauth.post("/oauth2/token", "client_id=" + TestClients.CLI + "&device_code=x"),
        400,
        "invalid_request");
  }

  @Test
  void aMissingDeviceCodeOrRefreshTokenIsInvalidRequest() {
    assertOAuthError(
        oauth.post("/oauth2/token", DEVICE_GRANT + "&client_id=" + TestClients.CLI),
        400,
        "invalid_request");
    assertOAuthError(
        oauth.post("/oauth2/token", "grant_type=refresh_token&client_id=" + TestClients.CLI),
        400,
        "invalid_request");
  }

  @Test
  void anUnknownGrantTypeIsUnsupportedGrantType() {
    for (String grant :
        List.of("authorization_code", "password", "client_credentials", "urn:example:nope")) {
      assertOAuthError(
          oauth.post(
              "/oauth2/token",
              OAuthCalls.form("grant_type", grant, "client_id", TestClients.CLI, "code", "x")),
          400,
          "unsupported_grant_type");
    }
  }

  @Test
  void anUnknownClientIsInvalidClientWith401OnEveryEndpoint() {
    assertOAuthError(
        oauth.post("/oauth2/device_authorization", "client_id=nobody-knows"),
        401,
        "invalid_client");
    assertOAuthError(
        oauth.post("/oauth2/token", DEVICE_GRANT + "&client_id=nobody-knows&device_code=x"),
        401,
        "invalid_client");
    assertOAuthError(
        oauth.post("/oauth2/revoke", "client_id=nobody-knows&token=x"), 401, "invalid_client");
    assertOAuthError(oauth.introspectAs("nobody-knows", "secret", "x"), 401, "invalid_client");
  }

  @Test
  void malformedBasicCredentialsAreInvalidClientWith401() {
    for (String header :
        List.of(
            "Basic !!!",
            "Basic " + Base64.getEncoder().encodeToString(bytes("no-colon")),
            "Basic " + Base64.getEncoder().encodeToString(bytes(":secret")))) {
      assertOAuthError(oauth.post("/oauth2/introspect", header, "token=x"), 401, "invalid_client");
    }
  }

  @Test
  void twoWaysOfClientAuthenticationAtOnceAreInvalidRequest() {
    Response r =
        oauth.post(
            "/oauth2/introspect",
            oauth.resourceServerBasic(),
            OAuthCalls.form("token", "x", "client_secret", server.clients.resourceServerSecret));
    assertOAuthError(r, 400, "invalid_request");
  }

  @Test
  void aScopeNotAllowedIsInvalidScope() {
    assertOAuthError(
        oauth.deviceAuthorization(TestClients.CLI, "openid admin"), 400, "invalid_scope");
    OAuthCalls.Tokens tokens = oauth.signIn();
    assertOAuthError(
        oauth.refresh(TestClients.CLI, tokens.refreshToken(), "openid admin"),
        400,
        "invalid_scope");
  }

  @Test
  void pollingErrorsAreErrorObjectsWithStatus400() {
    OAuthCalls.DeviceCode code = oauth.deviceCode();
    assertOAuthError(oauth.poll(code), 400, "authorization_pending");
    assertOAuthError(oauth.poll(code), 400, "slow_down");
    assertOAuthError(oauth.poll(TestClients.CLI, "not-a-code"), 400, "invalid_grant");
  }

  @Test
  void getOnAnOAuthEndpointIsNotAServerError() {
    for (String endpoint : ENDPOINTS) {
      Response r = oauth.get(endpoint + "?client_id=" + TestClients.CLI);
      assertThat(r.status()).as(endpoint).isBetween(400, 499);
    }
  }

  @Test
  void theErrorDescriptionNeverEchoesAClientIdOrGrantTypeTheClientSent() {
    // A token pasted into the wrong field must not come back in an error that clients log.
    String marker = "zz" + "q".repeat(30);
    for (Response r :
        List.of(
            oauth.post(
                "/oauth2/token",
                OAuthCalls.form("grant_type", marker, "client_id", TestClients.CLI)),
            oauth.deviceAuthorization(marker, "openid"),
            oauth.post(
                "/oauth2/token",
                OAuthCalls.form(
                    "grant_type", "refresh_token", "client_id", marker, "refresh_token", "x")))) {
      assertThat(r.status()).isBetween(400, 401);
      assertThat(r.body()).doesNotContain(marker);
    }
  }
}
