package io.devicelogin.client.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.testing.ClockSleeper;
import io.devicelogin.client.testing.ManualClock;
import io.devicelogin.client.testing.RecordedRequest;
import io.devicelogin.client.testing.RecordingHttpServer;
import io.devicelogin.client.wire.Json;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What every provider contract test needs: a controlled clock, a sleeper that advances it, and a
 * real HTTP server on loopback that the test scripts to answer as the provider documents.
 */
final class ContractFixture implements AutoCloseable {
  /** The polling engine's default wait before a poll at a 5 s interval: 5 s plus the 5 % pad. */
  static final Duration FIVE_SECONDS_PADDED = Duration.ofMillis(5_250);

  /** The same at 10 s, after one {@code slow_down}. */
  static final Duration TEN_SECONDS_PADDED = Duration.ofMillis(10_500);

  final ManualClock clock = ManualClock.atEpochOf2026();
  final ClockSleeper sleeper = new ClockSleeper(clock);
  final RecordingHttpServer server = RecordingHttpServer.start(clock);
  final Instant start = clock.instant();

  /** The base URI of the local server, with no path. */
  URI base() {
    return server.uri("");
  }

  /** A login against {@code provider}, timed by the fixture's clock. */
  DeviceLogin.Builder login(Provider provider, String clientId) {
    return DeviceLogin.builder()
        .provider(provider)
        .clientId(clientId)
        .clock(clock)
        .sleeper(sleeper);
  }

  static ObjectNode object() {
    return Json.newObject();
  }

  /** The one request to {@code path}, checked to be a form POST. */
  RecordedRequest onlyFormPost(String path) {
    List<RecordedRequest> requests = server.requests(path);
    assertThat(requests).as("requests to %s", path).hasSize(1);
    RecordedRequest request = requests.get(0);
    assertFormPost(request);
    return request;
  }

  /** Checks what every request of this library looks like on the wire. */
  static void assertFormPost(RecordedRequest request) {
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(request.header("Accept")).isEqualTo("application/json");
    assertThat(request.query()).as("nothing travels in the query string").isNull();
  }

  @Override
  public void close() {
    server.close();
  }
}
