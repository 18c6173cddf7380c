package io.devicelogin.server.crypto;

import io.devicelogin.client.Secret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256 of secrets for storage, HMAC-SHA256 of values the server signs, fresh 256-bit secrets.
 */
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

  /**
   * HMAC-SHA256 of {@code value}'s UTF-8 bytes under {@code key} (its UTF-8 bytes), base64url
   * without padding (43 characters). Compare two with {@link MessageDigest#isEqual}, never equals.
   */
  public static String hmacSha256(Secret key, String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              key.revealForTransmission().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every JVM has HMAC-SHA256", e);
    }
  }

  /** 256 random bits, base64url without padding (43 characters). */
  public static Secret newSecret(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Secret.of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }
}
