package io.devicelogin.server.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.NoSecretsInOutput;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntSupplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * User codes: 8 characters of {@code BCDFGHJKLMNPQRSTVWXZ}, shown {@code XXXX-XXXX}, drawn without
 * modulo bias (a chi-square test over 200 000 characters, which a byte-modulo generator fails by
 * far), and typed input normalised: upper-cased, spaces and dashes dropped. The properties run on
 * jqwik, the statistics on JUnit; the secret guard covers the latter (user codes are shown on
 * screens and are not secrets).
 */
@ExtendWith(NoSecretsInOutput.class)
class UserCodeGeneratorTest {
  private static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";

  /** The chi-square value of 19 degrees of freedom exceeded with probability 0.001. */
  private static final double CHI_SQUARE_19_AT_0_001 = 43.82;

  private static SecureRandom seeded(long seed) {
    try {
      // SHA1PRNG seeded before its first use is deterministic: the statistics below never flake.
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed);
      return random;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Property(tries = 500)
  void everyCodeIsEightLettersOfTheAlphabetAndDisplaysAsTwoGroupsOfFour(@ForAll long seed) {
    String code = new UserCodeGenerator(seeded(seed)).next();
    assertThat(code).hasSize(8).matches("[" + ALPHABET + "]{8}");
    assertThat(UserCodeGenerator.display(code))
        .isEqualTo(code.substring(0, 4) + "-" + code.substring(4))
        .matches("[" + ALPHABET + "]{4}-[" + ALPHABET + "]{4}");
    assertThat(UserCodeGenerator.normalise(UserCodeGenerator.display(code))).contains(code);
  }

  @Test
  void theExampleCodeThePagesShowIsNeverIssued() {
    // A source whose first eight draws spell the example: the generator must draw again.
    SecureRandom spellsTheExample =
        new SecureRandom() {
          private int drawn;

          @Override
          public int nextInt(int bound) {
            int n = drawn++;
            return n < 8 ? ALPHABET.indexOf(UserCodeGenerator.EXAMPLE.charAt(n)) : bound - 1;
          }
        };
    assertThat(UserCodeGenerator.display(UserCodeGenerator.EXAMPLE)).isEqualTo("BCDF-GHJK");
    assertThat(new UserCodeGenerator(spellsTheExample).next()).isEqualTo("ZZZZZZZZ");
  }

  @Provide
  Arbitrary<String> codes() {
    return Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofLength(8);
  }

  @Property(tries = 500)
  void typedInputIsUpperCasedWithSpacesAndDashesDropped(
      @ForAll("codes") String code,
      @ForAll long layout,
      @ForAll @IntRange(min = 0, max = 3) int separators) {
    Random r = new Random(layout);
    StringBuilder typed = new StringBuilder();
    for (char ch : code.toCharArray()) {
      for (int i = r.nextInt(separators + 1); i > 0; i--) {
        typed.append(" -\t\u2010\u2013".charAt(r.nextInt(5)));
      }
      typed.append(r.nextBoolean() ? Character.toLowerCase(ch) : ch);
    }
    assertThat(UserCodeGenerator.normalise(typed.toString())).contains(code);
  }

  @Property(tries = 300)
  void anythingButEightLettersOfTheAlphabetIsNoCode(@ForAll("notCodes") String typed) {
    assertThat(UserCodeGenerator.normalise(typed)).isEmpty();
  }

  @Provide
  Arbitrary<String> notCodes() {
    Arbitrary<String> wrongLength =
        Arbitraries.strings()
            .withChars(ALPHABET.toCharArray())
            .ofMinLength(0)
            .ofMaxLength(20)
            .filter(s -> s.length() != 8);
    Arbitrary<String> foreignLetter =
        Combinators.combine(
                codes(),
                Arbitraries.integers().between(0, 7),
                Arbitraries.of('A', 'E', 'I', 'O', 'U', 'Y', '0', '1', '5', '8', '!', 'É', 'ß'))
            .as((code, at, ch) -> code.substring(0, at) + ch + code.substring(at + 1));
    return Arbitraries.oneOf(wrongLength, foreignLetter, Arbitraries.just("x".repeat(100)));
  }

  @Test
  void theCharactersAreUniformByChiSquare() {
    UserCodeGenerator generator = new UserCodeGenerator(seeded(20260101L));
    StringBuilder drawn = new StringBuilder();
    double chi =
        chiSquare(
            () -> {
              if (drawn.length() == 0) {
                drawn.append(generator.next());
              }
              char next = drawn.charAt(0);
              drawn.deleteCharAt(0);
              return ALPHABET.indexOf(next);
            },
            200_000);
    assertThat(chi).isLessThan(CHI_SQUARE_19_AT_0_001);
  }

  @Test
  void theChiSquareCheckWouldCatchModuloBias() {
    // The classic mistake: a random byte modulo 20. 256 = 12 * 20 + 16, so the first 16 letters
    // come
    // up 13 times in 256 and the last 4 only 12: this check must reject it.
    SecureRandom random = seeded(20260101L);
    byte[] one = new byte[1];
    double chi =
        chiSquare(
            () -> {
              random.nextBytes(one);
              return (one[0] & 0xFF) % 20;
            },
            200_000);
    assertThat(chi).isGreaterThan(CHI_SQUARE_19_AT_0_001 * 2);
  }

  @Test
  void everyPositionIsUniformToo() {
    UserCodeGenerator generator = new UserCodeGenerator(seeded(42L));
    long[][] counts = new long[8][20];
    int codes = 25_000;
    for (int i = 0; i < codes; i++) {
      String code = generator.next();
      for (int p = 0; p < 8; p++) {
        counts[p][ALPHABET.indexOf(code.charAt(p))]++;
      }
    }
    for (int p = 0; p < 8; p++) {
      assertThat(chiSquare(counts[p], codes))
          .as("position %d", p)
          .isLessThan(CHI_SQUARE_19_AT_0_001);
    }
  }

  private static double chiSquare(IntSupplier draw, int n) {
    long[] counts = new long[20];
    for (int i = 0; i < n; i++) {
      counts[draw.getAsInt()]++;
    }
    return chiSquare(counts, n);
  }

  private static double chiSquare(long[] counts, int n) {
    double expected = n / 20.0;
    double chi = 0;
    for (long c : counts) {
      chi += (c - expected) * (c - expected) / expected;
    }
    return chi;
  }

  @Test
  void theAlphabetHasNoVowelsNoDigitsAndTwentyLetters() {
    assertThat(UserCodeGenerator.ALPHABET)
        .isEqualTo(ALPHABET)
        .hasSize(20)
        .doesNotContainPattern("[AEIOUY0-9]");
    assertThat(ALPHABET.toLowerCase(Locale.ROOT).chars().distinct().count()).isEqualTo(20);
  }
}
