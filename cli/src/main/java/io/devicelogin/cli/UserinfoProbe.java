package io.devicelogin.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The demo's stand-in for a program run by {@code devicelogin exec}: reads {@code ACCESS_TOKEN}
 * from its environment and prints the answer of a {@code /userinfo} endpoint (never the token).
 */
public final class UserinfoProbe {
  private UserinfoProbe() {}

  public static void main(String[] args) throws Exception {
    String token = System.getenv("ACCESS_TOKEN");
    if (token == null || token.isEmpty() || args.length != 1) {
      System.out.println("usage: ACCESS_TOKEN=… UserinfoProbe URL");
      System.exit(2);
    }
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(args[0]))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json")
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    System.out.println("GET " + args[0] + " -> HTTP " + response.statusCode());
    System.out.println(response.body());
    System.exit(response.statusCode() == 200 ? 0 : 1);
  }
}
