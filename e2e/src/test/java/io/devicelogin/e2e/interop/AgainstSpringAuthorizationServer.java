package io.devicelogin.e2e.interop;

import static io.devicelogin.e2e.interop.SpringAuthorizationServerApp.RESOURCE_SERVER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devicelogin.client.testing.IssuedSecrets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the tests against a real Spring Authorization Server share: one server per test class,
 * started in this JVM on a loopback port with fresh passwords for its people and its resource
 * server; threads on which those people act; and the test's own calls to Spring, introspection
 * among them.
 */
abstract class AgainstSpringAuthorizationServer {
  static final ObjectMapper JSON = new ObjectMapper();

  /** For the test's own calls to Spring (introspection, raw checks), never the client's. */
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static ConfigurableApplicationContext spring;
  static URI issuer;
  static final Map<String, String> passwords = new LinkedHashMap<>();
  static String resourceServerSecret;
  static ExecutorService people;

  /** Spring's Tomcat's directory; JUnit deletes it after the class. */
  @TempDir static Path tomcat;

  @BeforeAll
  static void startSpringAuthorizationServer() throws IOException {
    // Spring needs the issuer before it listens, so the port is chosen first.
    int port = freeLoopbackPort();
    issuer = URI.create("http://127.0.0.1:" + port);
    for (String user : SpringAuthorizationServerApp.USERS) {
      passwords.put(user, IssuedSecrets.fresh("pw-"));
    }
    resourceServerSecret = IssuedSecrets.fresh("rs-");
    spring = SpringAuthorizationServerApp.start(port, passwords, resourceServerSecret, tomcat);
    people =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "person");
              thread.setDaemon(true);
              return thread;
            });
  }

  @AfterAll
  static void stopSpringAuthorizationServer() {
    if (people != null) {
      people.shutdownNow();
    }
    if (spring != null) {
      spring.close();
    }
  }

  /** Spring's introspection of {@code token}, asked by the resource server. */
  static JsonNode introspect(String token) throws IOException, InterruptedException {
    HttpResponse<String> response =
        postForm(
            issuer.resolve("/oauth2/introspect"),
            Map.of("token", token),
            RESOURCE_SERVER + ":" + resourceServerSecret);
    assertThat(response.statusCode()).as("introspection").isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** A form POST to Spring, with HTTP Basic as {@code id:secret} unless {@code basic} is null. */
  static HttpResponse<String> postForm(URI uri, Map<String, String> form, String basic)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(SpringPerson.encode(form.entrySet())));
    if (basic != null) {
      request.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
