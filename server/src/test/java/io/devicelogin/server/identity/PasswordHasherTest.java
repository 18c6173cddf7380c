package io.devicelogin.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * Argon2id hashes, and the decoy an unknown user's sign-in is verified against: it must cost what a
 * real hash costs to verify, so it has the same format and parameters, and it matches nothing.
 */
class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher(new SecureRandom(), 1024, 1);

  @Test
  void aHashVerifiesItsPasswordOnly() {
    String hash = hasher.hash(Secret.of("correct horse"));
    assertThat(hasher.verify(Secret.of("correct horse"), hash)).isTrue();
    assertThat(hasher.verify(Secret.of("battery staple"), hash)).isFalse();
  }

  @Test
  void theDecoyHasTheFormatAndParametersOfARealHashAndMatchesNothing() {
    String real = hasher.hash(Secret.of("correct horse"));
    String decoy = hasher.decoy();
    assertThat(parameters(decoy))
        .isEqualTo(parameters(real))
        .isEqualTo("$argon2id$v=19$m=1024,t=1,p=1$");
    assertThat(decoy.length()).isEqualTo(real.length());
    assertThat(decoy).isNotEqualTo(hasher.decoy());
    assertThat(hasher.verify(Secret.of("correct horse"), decoy)).isFalse();
    assertThat(hasher.verify(Secret.of("x"), decoy)).isFalse();
  }

  @Test
  void theDefaultDecoyCarriesTheDefaultCost() {
    PasswordHasher defaults = new PasswordHasher(new SecureRandom());
    assertThat(parameters(defaults.decoy())).isEqualTo("$argon2id$v=19$m=19456,t=2,p=1$");
  }

  /** Everything before the salt. */
  private static String parameters(String phc) {
    return phc.substring(0, phc.indexOf("p=1$") + 4);
  }
}
