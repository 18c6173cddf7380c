package io.devicelogin.server.device;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * User codes: 8 characters of the base-20 alphabet {@value #ALPHABET} (no vowels, so no words; no
 * digits or letters that look alike), about 34.5 bits, shown in two groups of four such as {@code
 * BCDF-GHJK} (RFC 8628 §6.1), which is the one code never issued ({@link #EXAMPLE}).
 */
public final class UserCodeGenerator {
  public static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
  public static final int LENGTH = 8;

  /**
   * The code the pages show as an example ({@code BCDF-GHJK}). It is never issued, so that a person
   * who types the example never reaches someone else's request; typing it is not a guess.
   */
  public static final String EXAMPLE = "BCDFGHJK";

  private final SecureRandom random;

  public UserCodeGenerator(SecureRandom random) {
    this.random = random;
  }

  /** A new code, without the dash. {@code nextInt(20)} draws without modulo bias. */
  public String next() {
    while (true) {
      char[] code = new char[LENGTH];
      for (int i = 0; i < LENGTH; i++) {
        code[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
      }
      String drawn = new String(code);
      if (!drawn.equals(EXAMPLE)) {
        return drawn;
      }
    }
  }

  /** {@code BCDFGHJK} as {@code BCDF-GHJK}. */
  public static String display(String code) {
    return code.substring(0, 4) + "-" + code.substring(4);
  }

  /**
   * What a person typed, upper-cased with spaces and dashes dropped; empty unless it is 8 letters
   * of the alphabet. Only a to z are upper-cased: Unicode's upper case would read letters that are
   * none of the code's as some of them ({@code ß} as {@code SS}, {@code ſ} as {@code S}).
   */
  public static Optional<String> normalise(String typed) {
    if (typed == null || typed.length() > 64) {
      return Optional.empty();
    }
    String letters = typed.replaceAll("[\\s\\-\u2010-\u2015]", "");
    if (letters.length() != LENGTH) {
      return Optional.empty();
    }
    char[] code = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      char ch = letters.charAt(i);
      code[i] = ch >= 'a' && ch <= 'z' ? (char) (ch - 'a' + 'A') : ch;
      if (ALPHABET.indexOf(code[i]) < 0) {
        return Optional.empty();
      }
    }
    return Optional.of(new String(code));
  }
}
