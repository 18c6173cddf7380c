package io.devicelogin.client.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.devicelogin.client.Cancellation;
import io.devicelogin.client.TransportException;
import io.devicelogin.client.testing.ManualClock;
import io.devicelogin.client.testing.RecordingHttpServer;
import io.devicelogin.client.testing.Reply;
import io.devicelogin.client.wire.Form;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link HttpSettings#fromEnvironment(Map)} and {@link OAuthHttp} over real sockets: an HTTPS
 * server whose certificate a private CA signed, reached through a CONNECT proxy written here, or
 * directly.
 */
@Timeout(20)
class ProxyIntegrationTest {
  private static TestPki pki;
  private static HttpsServer https;
  private static ExecutorService httpsThreads;
  private static final AtomicInteger httpsRequests = new AtomicInteger();

  @TempDir static Path dir;
  private static Path caPem;

  private TestProxy proxy;

  @BeforeAll
  static void startHttpsServer() throws IOException {
    pki = TestPki.create("proxy-integration");
    caPem = pki.writeCaPem(dir.resolve("private-ca.pem"));
    https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(pki.serverContext()));
    httpsThreads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "test-https-server");
              t.setDaemon(true);
              return t;
            });
    https.setExecutor(httpsThreads);
    https.createContext(
        "/",
        exchange -> {
          httpsRequests.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    https.start();
  }

  @AfterAll
  static void stopHttpsServer() {
    https.stop(0);
    httpsThreads.shutdownNow();
  }

  @BeforeEach
  void startProxy() throws IOException {
    proxy = TestProxy.start();
    httpsRequests.set(0);
  }

  @AfterEach
  void stopProxy() throws IOException {
    proxy.close();
  }

  private static URI httpsUri(String path) {
    return URI.create("https://127.0.0.1:" + https.getAddress().getPort() + path);
  }

  private static String httpsTarget() {
    return "127.0.0.1:" + https.getAddress().getPort();
  }

  private static Map<String, String> env(String... namesAndValues) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      env.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return env;
  }

  /** The client as an application would make it, with short timeouts so that failures are fast. */
  private static OAuthHttp client(Map<String, String> env) {
    return new OAuthHttp(
        HttpSettings.fromEnvironment(env)
            .withConnectTimeout(Duration.ofSeconds(5))
            .withRequestTimeout(Duration.ofSeconds(5)));
  }

  @Test
  void httpsProxyCarriesTheRequestThroughAConnectTunnel() {
    OAuthHttp http =
        client(env("HTTPS_PROXY", proxy.url(), "DEVICELOGIN_CA_BUNDLE", caPem.toString()));

    HttpResult result =
        http.get(httpsUri("/.well-known/oauth-authorization-server"), Cancellation.none());

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.jsonObject())
        .hasValueSatisfying(json -> assertThat(json.get("ok").asBoolean()).isTrue());
    assertThat(proxy.requests()).containsExactly("CONNECT " + httpsTarget());
    assertThat(httpsRequests.get()).isEqualTo(1);
  }

  @Test
  void formPostsGoThroughTheTunnelToo() {
    OAuthHttp http =
        client(env("https_proxy", proxy.url(), "DEVICELOGIN_CA_BUNDLE", caPem.toString()));

    HttpResult result =
        http.postForm(httpsUri("/token"), Form.of().add("grant_type", "x"), Cancellation.none());

    assertThat(result.status()).isEqualTo(200);
    assertThat(proxy.requests()).containsExactly("CONNECT " + httpsTarget());
  }

  @Test
  void allProxyAloneCarriesHttpsRequests() {
    OAuthHttp http = client(env("ALL_PROXY", proxy.url(), "SSL_CERT_FILE", caPem.toString()));

    assertThat(http.get(httpsUri("/"), Cancellation.none()).status()).isEqualTo(200);
    assertThat(proxy.requests()).containsExactly("CONNECT " + httpsTarget());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "localhost, 127.0.0.1",
        "127.0.0.0/8",
        "*",
        " example.com ,127.0.0.1 ",
        "PORT" // replaced by 127.0.0.1:<the server's port>
      })
  void noProxyNamingTheHostSendsTheRequestDirect(String noProxy) {
    String list = noProxy.equals("PORT") ? httpsTarget() : noProxy;
    OAuthHttp http =
        client(
            env(
                "HTTPS_PROXY", proxy.url(),
                "NO_PROXY", list,
                "DEVICELOGIN_CA_BUNDLE", caPem.toString()));

    assertThat(http.get(httpsUri("/"), Cancellation.none()).status()).isEqualTo(200);
    assertThat(proxy.connections()).isZero();
    assertThat(proxy.requests()).isEmpty();
    assertThat(httpsRequests.get()).isEqualTo(1);
  }

  @Test
  void noProxyForAnotherPortStillUsesTheProxy() {
    int otherPort = https.getAddress().getPort() == 1 ? 2 : 1;
    OAuthHttp http =
        client(
            env(
                "HTTPS_PROXY", proxy.url(),
                "NO_PROXY", "127.0.0.1:" + otherPort + ",example.com",
                "DEVICELOGIN_CA_BUNDLE", caPem.toString()));

    assertThat(http.get(httpsUri("/"), Cancellation.none()).status()).isEqualTo(200);
    assertThat(proxy.requests()).containsExactly("CONNECT " + httpsTarget());
  }

  @Test
  void withoutTheBundleTheHandshakeFailsAsATransportException() {
    OAuthHttp http = client(env("HTTPS_PROXY", proxy.url()));
    URI endpoint = httpsUri("/token");

    Throwable thrown = catchThrowable(() -> http.get(endpoint, Cancellation.none()));

    assertThat(thrown)
        .isInstanceOf(TransportException.class)
        .hasMessageStartingWith("could not reach " + endpoint)
        .hasCauseInstanceOf(SSLHandshakeException.class);
    assertThat(((TransportException) thrown).endpoint()).isEqualTo(endpoint);
    // The tunnel was made; it is the server's certificate that the JDK's CAs do not vouch for.
    assertThat(proxy.requests()).containsExactly("CONNECT " + httpsTarget());
    assertThat(httpsRequests.get()).isZero();
  }

  @Test
  void withoutTheBundleADirectHandshakeFailsTheSameWay() {
    OAuthHttp http = client(env());

    assertThatThrownBy(() -> http.get(httpsUri("/"), Cancellation.none()))
        .isInstanceOf(TransportException.class)
        .hasCauseInstanceOf(SSLHandshakeException.class);
    assertThat(proxy.connections()).isZero();
  }

  @Test
  void aBundleWithAnotherCaDoesNotMakeTheServerTrusted() throws IOException {
    Path otherCa = TestPki.create("unrelated").writeCaPem(dir.resolve("unrelated-ca.pem"));
    OAuthHttp http = client(env("DEVICELOGIN_CA_BUNDLE", otherCa.toString()));

    assertThatThrownBy(() -> http.get(httpsUri("/"), Cancellation.none()))
        .isInstanceOf(TransportException.class)
        .hasCauseInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void withTheBundleADirectRequestSucceeds() {
    OAuthHttp http = client(env("DEVICELOGIN_CA_BUNDLE", caPem.toString()));

    assertThat(http.get(httpsUri("/"), Cancellation.none()).status()).isEqualTo(200);
    assertThat(proxy.connections()).isZero();
  }

  @Test
  void withTheBundleLocalhostIsVerifiedByItsDnsName() {
    // The proxy resolves "localhost" (the JDK prefers IPv4, where the server listens); the client
    // checks the certificate against the DNS name, not the address.
    OAuthHttp http =
        client(env("HTTPS_PROXY", proxy.url(), "DEVICELOGIN_CA_BUNDLE", caPem.toString()));
    URI byName = URI.create("https://localhost:" + https.getAddress().getPort() + "/");

    assertThat(http.get(byName, Cancellation.none()).status()).isEqualTo(200);
    assertThat(proxy.requests())
        .containsExactly("CONNECT localhost:" + https.getAddress().getPort());
  }

  @Test
  void aProxyThatRefusesTheTunnelIsATransportException() throws IOException {
    try (TestProxy refusing = TestProxy.refusing()) {
      OAuthHttp http =
          client(env("HTTPS_PROXY", refusing.url(), "DEVICELOGIN_CA_BUNDLE", caPem.toString()));

      assertThatThrownBy(() -> http.get(httpsUri("/"), Cancellation.none()))
          .isInstanceOf(TransportException.class)
          .hasMessageContaining("could not reach " + httpsUri("/"));
      assertThat(refusing.requests()).containsExactly("CONNECT " + httpsTarget());
      assertThat(httpsRequests.get()).isZero();
    }
  }

  @Test
  void aProxyThatIsNotListeningIsATransportException() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    OAuthHttp http = client(env("HTTPS_PROXY", "http://127.0.0.1:" + closedPort));

    assertThatThrownBy(() -> http.get(httpsUri("/"), Cancellation.none()))
        .isInstanceOf(TransportException.class);
  }

  @Test
  void httpProxyCarriesPlainHttpRequestsInAbsoluteForm() {
    try (RecordingHttpServer plain = RecordingHttpServer.start(ManualClock.atEpochOf2026())) {
      plain.on("/metadata", request -> Reply.json(200, "{\"plain\":true}"));
      OAuthHttp http = client(env("http_proxy", proxy.url()));

      HttpResult result = http.get(plain.uri("/metadata?x=1"), Cancellation.none());

      assertThat(result.status()).isEqualTo(200);
      assertThat(proxy.requests()).containsExactly("GET " + plain.uri("/metadata?x=1"));
      assertThat(plain.requests())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.path()).isEqualTo("/metadata");
                assertThat(r.query()).isEqualTo("x=1");
              });
    }
  }

  @Test
  void upperCaseHttpProxyIsIgnoredForPlainHttp() {
    try (RecordingHttpServer plain = RecordingHttpServer.start(ManualClock.atEpochOf2026())) {
      plain.on("/metadata", request -> Reply.json(200, "{}"));
      OAuthHttp http = client(env("HTTP_PROXY", proxy.url(), "HTTPS_PROXY", proxy.url()));

      assertThat(http.get(plain.uri("/metadata"), Cancellation.none()).status()).isEqualTo(200);
      assertThat(proxy.connections()).isZero();
      assertThat(plain.requests()).hasSize(1);
    }
  }

  @Test
  void aMissingBundleIsRefusedNamingTheVariableAndThePath() {
    Path missing = dir.resolve("no-such-bundle.pem");

    assertThatThrownBy(
            () -> HttpSettings.fromEnvironment(env("DEVICELOGIN_CA_BUNDLE", missing.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DEVICELOGIN_CA_BUNDLE")
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void aBundleWithoutCertificatesIsRefusedNamingThePath() throws IOException {
    Path empty = Files.writeString(dir.resolve("not-a-bundle.pem"), "# just a comment\n");

    assertThatThrownBy(() -> HttpSettings.fromEnvironment(env("SSL_CERT_FILE", empty.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SSL_CERT_FILE")
        .hasMessageContaining(empty.toString())
        .hasMessageContaining("holds no certificate");
  }

  @Test
  void anEmptyBundleVariableFallsBackToSslCertFile() {
    OAuthHttp http = client(env("DEVICELOGIN_CA_BUNDLE", "", "SSL_CERT_FILE", caPem.toString()));

    assertThat(http.get(httpsUri("/"), Cancellation.none()).status()).isEqualTo(200);
  }

  @Test
  void deviceloginCaBundleWinsOverSslCertFile() throws IOException {
    Path otherCa = TestPki.create("ignored").writeCaPem(dir.resolve("ignored-ca.pem"));
    OAuthHttp http =
        client(
            env(
                "DEVICELOGIN_CA_BUNDLE", caPem.toString(),
                "SSL_CERT_FILE", otherCa.toString()));

    assertThat(http.get(httpsUri("/"), Cancellation.none()).status()).isEqualTo(200);
  }

  @Test
  void noVariablesLeaveTheJdkDefaults() {
    HttpSettings settings = HttpSettings.fromEnvironment(Map.of());

    assertThat(settings.proxySelector()).isEmpty();
    assertThat(settings.sslContext()).isEmpty();
    assertThat(List.of(settings.connectTimeout(), settings.requestTimeout()))
        .containsExactly(
            HttpSettings.DEFAULT_CONNECT_TIMEOUT, HttpSettings.DEFAULT_REQUEST_TIMEOUT);
  }
}
