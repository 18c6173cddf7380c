package io.devicelogin.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every place the library reveals a secret is a place it puts one on the wire, or scrubs one from a
 * server's error message. This test pins the list, so that a new use has to be added here on
 * purpose and reviewed.
 */
class RevealUsageTest {

  @Test
  void secretsAreRevealedOnlyWhereTheyAreSent() throws IOException {
    Path main = Path.of("src/main/java");
    Map<String, Long> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(main)) {
      for (Path file :
          files.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList())) {
        long count =
            Files.readAllLines(file).stream()
                .filter(line -> line.contains(".revealForTransmission()"))
                .count();
        if (count > 0) {
          uses.put(main.relativize(file).toString().replace('\\', '/'), count);
        }
      }
    }

    assertThat(uses)
        .isEqualTo(
            Map.of(
                "io/devicelogin/client/ClientIdentity.java", 1L,
                "io/devicelogin/client/wire/OAuthError.java", 1L,
                "io/devicelogin/client/wire/DeviceAuthorizationResponse.java", 1L,
                "io/devicelogin/client/wire/TokenResponse.java", 3L,
                // The request messages: the device code and the refresh token, and the token
                // revoked or introspected.
                "io/devicelogin/client/wire/TokenRequest.java", 2L,
                "io/devicelogin/client/wire/RequestParameters.java", 1L));
    assertThat(List.copyOf(uses.keySet())).noneMatch(p -> p.contains("http/"));
  }
}
