package io.devicelogin.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The soak's HTTP calls to the OAuth endpoints: each answer's latency goes to the {@link Ledger},
 * each failure to answer is an error of its kind ("POST /oauth2/token: connection refused"), and
 * the flow gets either the answer or nothing.
 */
final class Calls {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An answer: its status and its body as JSON (an empty object if it was not JSON). */
  record Answer(int status, JsonNode json) {
    String field(String name) {
      JsonNode node = json.get(name);
      return node == null || node.isNull() ? null : node.asText();
    }

    String error() {
      return field("error");
    }

    boolean ok() {
      return status == 200;
    }

    /** An answer the server gives when it cannot do its work now: try again later. */
    boolean transientFailure() {
      return status == 429 || status >= 500;
    }
  }

  private final HttpClient http;
  private final URI base;
  private final Ledger ledger;

  Calls(URI base, Ledger ledger) {
    this.base = base;
    this.ledger = ledger;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  URI base() {
    return base;
  }

  Optional<Answer> post(String path, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
    return send(
        "POST " + path,
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  Optional<Answer> getWithBearer(String path, String token) {
    return send(
        "GET " + path,
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build());
  }

  /** A form of name-value pairs in the order given. */
  static Map<String, String> form(String... pairs) {
    Map<String, String> form = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      form.put(pairs[i], pairs[i + 1]);
    }
    return form;
  }

  private Optional<Answer> send(String what, HttpRequest request) {
    long start = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      ledger.answered((System.nanoTime() - start) / 1000);
      Answer answer = new Answer(response.statusCode(), parse(response.body()));
      if (answer.transientFailure()) {
        ledger.error(what + ": " + answer.status());
      }
      return Optional.of(answer);
    } catch (HttpTimeoutException e) {
      ledger.error(what + ": no answer in 30 s");
    } catch (ConnectException e) {
      ledger.error(what + ": connection refused");
    } catch (IOException e) {
      ledger.error(what + ": connection closed before the answer");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node == null ? JSON.createObjectNode() : node;
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
