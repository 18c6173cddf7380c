package io.devicelogin.server.crypto;

import io.devicelogin.client.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** SHA-256 of secrets for storage, and fresh 256-bit secrets. */
public final class Hashing {
  private Hashing() {}

  /** The lower-case hex SHA-256 of the secret's UTF-8 bytes: what the database keeps. */
  public static String sha256(Secret secret) {
    return sha256(secret.revealForTransmission());
  }

  public static String sha256(String value) {
    // One digest per thread: looking the algorithm up on every call cost a fifth of a pending
    // poll's hashing.
    MessageDigest digest = SHA256.get();
    return HEX.formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
  }

  private static final HexFormat HEX = HexFormat.of();
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every JVM has SHA-256", e);
            }
          });

  /** 256 random bits, base64url without padding (43 characters). */
  public static Secret newSecret(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Secret.of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }
}
