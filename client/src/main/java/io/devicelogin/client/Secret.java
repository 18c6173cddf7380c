package io.devicelogin.client;

import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A token, code or password: a value that must never reach a log, a stack trace or a screen by
 * accident.
 *
 * <p>{@link #toString()}, Jackson serialisation and every exception message of this library show
 * only {@value #REDACTED}. The raw value comes out through exactly one method, {@link
 * #revealForTransmission()}, whose name makes each use easy to find in a review. Equality is
 * constant-time so that comparing a presented secret with a stored one leaks nothing through
 * timing.
 */
public final class Secret {

  /** What every printed form of a secret shows. */
  public static final String REDACTED = "[REDACTED]";

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * Wraps a raw value.
   *
   * @throws IllegalArgumentException if the value is empty (an empty token is a protocol error,
   *     never a secret worth holding)
   */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("a secret cannot be empty");
    }
    return new Secret(value);
  }

  /**
   * The raw value, for putting on the wire or into a secure store. Never pass it to a logger, an
   * exception message or standard output.
   */
  public String revealForTransmission() {
    return value;
  }

  /** The number of characters, which is safe to show and useful when diagnosing truncation. */
  public int length() {
    return value.length();
  }

  /** Always {@value #REDACTED}. */
  @Override
  @JsonValue
  public String toString() {
    return REDACTED;
  }

  /** Constant-time comparison of the raw values. */
  @Override
  public boolean equals(Object other) {
    if (!(other instanceof Secret)) {
      return false;
    }
    return MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8),
        ((Secret) other).value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The same for every secret: a hash derived from the value would be a side channel, and secrets
   * are not meant to be keys of large hash tables.
   */
  @Override
  public int hashCode() {
    return 0x5ec7e7;
  }
}
