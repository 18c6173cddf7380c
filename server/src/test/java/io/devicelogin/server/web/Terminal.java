package io.devicelogin.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command-line side, over real HTTP: asks for a device authorization and polls the token
 * endpoint, as a CLI would. Device codes and tokens are registered with {@link IssuedSecrets}.
 */
final class Terminal {
  static final String CLIENT = "devicelogin-cli";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TestServer server;
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  String userAgent = "devicelogin/0.1 (linux; test terminal)";
  String forwardedFor;
  String clientId = CLIENT;

  Terminal(TestServer server) {
    this.server = server;
  }

  Terminal from(String ip) {
    this.forwardedFor = ip;
    return this;
  }

  /** Asks and polls as {@code client} instead of the demo client. */
  Terminal as(String client) {
    this.clientId = client;
    return this;
  }

  /** What the device authorization endpoint answered. */
  record Code(String deviceCode, String userCode, String verificationUriComplete) {
    /** The user code without its dash, as stored. */
    String bare() {
      return userCode.replace("-", "");
    }
  }

  Code requestCode(String scope) {
    return requestCode(scope, null);
  }

  /**
   * A code for {@code scope}, the request naming its device as {@code deviceName} (if not null).
   */
  Code requestCode(String scope, String deviceName) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("client_id", clientId);
    form.put("scope", scope);
    if (deviceName != null) {
      form.put("device_name", deviceName);
    }
    JsonNode json = json(post("/oauth2/device_authorization", form), 200);
    return new Code(
        IssuedSecrets.register(json.get("device_code").asText()),
        json.get("user_code").asText(),
        json.get("verification_uri_complete").asText());
  }

  /** One poll of the token endpoint: status and JSON body; tokens in it are registered. */
  record Poll(int status, JsonNode json) {
    String error() {
      return json.path("error").asText(null);
    }
  }

  Poll poll(Code code) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "urn:ietf:params:oauth:grant-type:device_code");
    form.put("device_code", code.deviceCode());
    form.put("client_id", clientId);
    HttpResponse<String> response = post("/oauth2/token", form);
    JsonNode json = parse(response.body());
    for (String name : new String[] {"access_token", "refresh_token", "id_token"}) {
      if (json.hasNonNull(name)) {
        IssuedSecrets.register(json.get(name).asText());
      }
    }
    return new Poll(response.statusCode(), json);
  }

  private HttpResponse<String> post(String path, Map<String, String> form) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.uri(path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .header("User-Agent", userAgent)
            .POST(HttpRequest.BodyPublishers.ofString(OAuthCalls.form(form)));
    if (forwardedFor != null) {
      b.header("X-Forwarded-For", forwardedFor);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(HttpResponse<String> response, int expected) {
    if (response.statusCode() != expected) {
      throw new AssertionError("expected " + expected + " but got " + response.statusCode());
    }
    return parse(response.body());
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body.length() + " characters");
    }
  }
}
