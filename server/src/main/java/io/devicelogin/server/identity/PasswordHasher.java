package io.devicelogin.server.identity;

import io.devicelogin.client.Secret;
import io.devicelogin.server.config.Defaults;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (RFC 9106) in the PHC string format, {@code
 * $argon2id$v=19$m=19456,t=2,p=1$salt$hash}. The default cost is OWASP's recommended minimum: 19
 * MiB of memory, 2 passes, 1 lane. Each hash holds that memory while it runs: {@link HashingSlots}
 * bounds how many run at once.
 */
public final class PasswordHasher {
  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final SecureRandom random;
  private final int memoryKiB;
  private final int iterations;

  public PasswordHasher(SecureRandom random) {
    this(random, (int) (Defaults.PASSWORD_HASH_BYTES / 1024), 2);
  }

  /** A cheaper hasher, for tests only. */
  public PasswordHasher(SecureRandom random, int memoryKiB, int iterations) {
    this.random = random;
    this.memoryKiB = memoryKiB;
    this.iterations = iterations;
  }

  public String hash(Secret password) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    return encode(salt, derive(password, salt, memoryKiB, iterations, 1));
  }

  /**
   * A hash in this hasher's format and at its cost that stands for no password: a random salt and a
   * random digest. {@link #verify} against it does exactly the work of verifying a real hash, which
   * is all a stand-in for a user who does not exist needs, and making it costs no derivation.
   */
  public String decoy() {
    byte[] salt = new byte[16];
    byte[] digest = new byte[32];
    random.nextBytes(salt);
    random.nextBytes(digest);
    return encode(salt, digest);
  }

  private String encode(byte[] salt, byte[] digest) {
    return "$argon2id$v=19$m="
        + memoryKiB
        + ",t="
        + iterations
        + ",p=1$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(digest);
  }

  /** Whether {@code password} matches {@code encoded}; a malformed hash never matches. */
  public boolean verify(Secret password, String encoded) {
    Matcher m = PHC.matcher(encoded);
    if (!m.matches()) {
      return false;
    }
    byte[] salt = B64D.decode(m.group(4));
    byte[] expected = B64D.decode(m.group(5));
    byte[] actual =
        derive(
            password,
            salt,
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)));
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] derive(
      Secret password, byte[] salt, int memory, int iterations, int lanes) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withSalt(salt)
            .withMemoryAsKB(memory)
            .withIterations(iterations)
            .withParallelism(lanes)
            .build());
    byte[] out = new byte[32];
    generator.generateBytes(password.revealForTransmission().getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
