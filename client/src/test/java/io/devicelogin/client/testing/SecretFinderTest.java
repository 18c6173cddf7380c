package io.devicelogin.client.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The finder the leak checks rely on: whole secrets, pieces of them, and what it says about them.
 */
class SecretFinderTest {
  private final String token = IssuedSecrets.fresh("finder-");
  private final SecretFinder finder = new SecretFinder(Map.of(token, "the refresh token"));

  @Test
  void findsAWholeSecretAndSaysWhereWithoutRepeatingIt() {
    var found = finder.findIn("first line\nPOST /oauth2/token refresh_token=" + token + "&x=1\n");

    assertThat(found)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.whole()).isTrue();
              assertThat(f.line()).isEqualTo(2);
              assertThat(f.column()).isEqualTo("POST /oauth2/token refresh_token=".length());
              assertThat(f.describe()).contains("the refresh token").doesNotContain(token);
            });
  }

  @Test
  void findsASecretCutInTwoAsABufferDumpCutsIt() {
    // Jetty prints the first and last bytes of a buffer: each half alone is long enough to count.
    String dump =
        "HeapByteBuffer@1{<<<"
            + token.substring(0, 17)
            + ">>>...}\n"
            + "HeapByteBuffer@2{<<<"
            + token.substring(17)
            + ">>>}";

    var found = finder.findIn(dump);

    assertThat(found).hasSize(2).allSatisfy(f -> assertThat(f.whole()).isFalse());
    assertThat(found).extracting(SecretFinder.Finding::line).containsExactly(1, 2);
    assertThat(found.get(0).describe()).startsWith("a 16+ character piece of the refresh token");
  }

  @Test
  void piecesShorterThanSixteenCharactersAndOtherTextAreNotFindings() {
    String text =
        "prefix "
            + token.substring(3, 3 + SecretFinder.FRAGMENT - 1)
            + " suffix\n"
            + IssuedSecrets.fresh("finder-")
            + "\n"
            + "a long line of ordinary log text, much longer than sixteen characters";

    assertThat(finder.findIn(text)).isEmpty();
  }

  @Test
  void aShortSecretIsLookedForWhole() {
    SecretFinder shortOne = new SecretFinder(Map.of("pin-4711", "a short password"));

    assertThat(shortOne.findIn("no\nsigned in with pin-4711 today"))
        .singleElement()
        .satisfies(f -> assertThat(f.line()).isEqualTo(2));
    assertThat(shortOne.findIn("pin-471 is not it")).isEmpty();
  }
}
