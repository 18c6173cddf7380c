package io.devicelogin.server.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A fuzz target for what reads a user code a person typed (the form field arrives as UTF-8). Run as
 * {@link io.devicelogin.server.oauth.FormRequestFuzzTest} says: fuzzed briefly under {@code mvn
 * verify}, its inputs under {@code UserCodeFuzzTestInputs/} in every test run, longer with {@code
 * scripts/fuzz-long}.
 */
class UserCodeFuzzTest {
  private static final String SEPARATORS = "[\\s\\-\u2010-\u2015]";

  /**
   * Whatever was typed, normalising never throws, and a code it finds is 8 letters of the alphabet
   * made of exactly the letters typed, in order, each in either case: spaces and dashes are the
   * only things dropped and nothing is added. The code reads back as itself, shown or typed in
   * lower case.
   */
  @FuzzTest(maxDuration = "5s")
  void normalise(byte[] input) {
    String typed = new String(input, StandardCharsets.UTF_8);
    Optional<String> code = UserCodeGenerator.normalise(typed);
    if (code.isEmpty()) {
      return;
    }
    String c = code.get();
    assertThat(c).matches("[" + UserCodeGenerator.ALPHABET + "]{" + UserCodeGenerator.LENGTH + "}");
    assertThat(typed.length()).as("typed length").isLessThanOrEqualTo(64);
    String letters = typed.replaceAll(SEPARATORS, "");
    assertThat(letters).as("the letters typed").hasSize(c.length());
    for (int i = 0; i < c.length(); i++) {
      char ch = letters.charAt(i);
      assertThat(ch == c.charAt(i) || ch == Character.toLowerCase(c.charAt(i)))
          .as("letter %d of the code was typed as itself or in lower case", i)
          .isTrue();
    }
    assertThat(UserCodeGenerator.normalise(c)).contains(c);
    assertThat(UserCodeGenerator.normalise(UserCodeGenerator.display(c))).contains(c);
    assertThat(UserCodeGenerator.normalise(UserCodeGenerator.display(c).toLowerCase(Locale.ROOT)))
        .contains(c);
  }
}
