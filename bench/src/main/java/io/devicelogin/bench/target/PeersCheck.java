package io.devicelogin.bench.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A functional check of the peers, not a measurement: starts each in turn, asks for one device
 * authorization, polls the token endpoint twice at once, and prints what came back, the start-up
 * time and the resident memory.
 *
 * <p>Usage, from the repository's root: {@code java -cp bench/target/classes:$(cat
 * bench/target/classpath.txt) io.devicelogin.bench.target.PeersCheck [node-oidc-provider]
 * [keycloak]} (both when none is named). The peers are installed under {@code bench/target/peers},
 * or under the folder the system property {@code bench.peers} names.
 */
public final class PeersCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PeersCheck() {}

  public static void main(String[] args) throws Exception {
    Path peers = Path.of(System.getProperty("bench.peers", "bench/target/peers"));
    Map<String, Function<Path, Target>> all = new LinkedHashMap<>();
    all.put("node-oidc-provider", NodeOidcProviderTarget::start);
    all.put("keycloak", KeycloakTarget::start);

    List<String> chosen = args.length == 0 ? List.copyOf(all.keySet()) : List.of(args);
    for (String name : chosen) {
      if (!all.containsKey(name)) {
        System.err.println("unknown peer " + name + "; known: " + all.keySet());
        System.exit(2);
      }
    }

    HttpClient http = PeerProcess.httpClient();
    List<String> failed = new ArrayList<>();
    for (String name : chosen) {
      Path workDir = peers.resolve(name);
      System.out.println("== " + name + " (in " + workDir.toAbsolutePath() + ")");
      try (Target target = all.get(name).apply(workDir)) {
        check(http, target);
      } catch (RuntimeException | IOException e) {
        failed.add(name);
        System.out.println("FAILED: " + e.getMessage());
        e.printStackTrace(System.err);
      }
      System.out.println();
    }
    if (!failed.isEmpty()) {
      System.out.println("failed: " + failed);
      System.exit(1);
    }
  }

  private static void check(HttpClient http, Target target)
      throws IOException, InterruptedException {
    System.out.println(target.name());
    System.out.println("  device authorization endpoint " + target.deviceAuthorizationEndpoint());
    System.out.println("  token endpoint                " + target.tokenEndpoint());
    System.out.println(
        "  pid "
            + target.pid()
            + " "
            + ProcessHandle.of(target.pid())
                .flatMap(p -> p.info().command())
                .orElse("(command unknown)"));
    System.out.printf(Locale.ROOT, "  startup %d ms%n", target.startup().toMillis());
    System.out.println("  RSS after start " + mebibytes(ProcessMemory.rssBytes(target.pid())));

    HttpResponse<String> authorization =
        post(http, target.deviceAuthorizationEndpoint(), target.deviceAuthorizationForm());
    print("device authorization (" + target.deviceAuthorizationForm() + ")", authorization);
    if (authorization.statusCode() != 200) {
      throw new IllegalStateException(target.name() + " refused the device authorization request");
    }
    JsonNode answer = JSON.readTree(authorization.body());
    JsonNode interval = answer.get("interval");
    System.out.println(
        "  interval in the answer: "
            + (interval == null ? "absent (RFC 8628 says 5 s then)" : interval.asText() + " s"));

    String poll =
        "grant_type="
            + form("urn:ietf:params:oauth:grant-type:device_code")
            + "&device_code="
            + form(answer.get("device_code").asText())
            + "&client_id="
            + form(target.clientId());
    for (int i = 1; i <= 2; i++) {
      print("poll " + i, post(http, target.tokenEndpoint(), poll));
    }
    System.out.println("  RSS after the polls " + mebibytes(ProcessMemory.rssBytes(target.pid())));
  }

  private static HttpResponse<String> post(HttpClient http, URI uri, String form)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String form(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static void print(String what, HttpResponse<String> response) {
    System.out.println("  " + what + ": " + response.statusCode() + " " + response.body());
  }

  private static String mebibytes(long bytes) {
    return bytes < 0
        ? "unknown"
        : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
