package io.devicelogin.client.wire;

import java.util.Optional;

/** The values of {@code grant_type} this library speaks (RFC 6749 §4.5, §6; RFC 8628 §3.4). */
public enum GrantType {
  /** The device authorization grant (RFC 8628 §3.4). */
  DEVICE_CODE("urn:ietf:params:oauth:grant-type:device_code"),
  /** The refresh of an access token (RFC 6749 §6). */
  REFRESH_TOKEN("refresh_token");

  private final String value;

  GrantType(String value) {
    this.value = value;
  }

  /** The value of the {@code grant_type} parameter. */
  public String value() {
    return value;
  }

  /** The grant type a {@code grant_type} value names, compared case-sensitively; empty if none. */
  public static Optional<GrantType> parse(String value) {
    for (GrantType type : values()) {
      if (type.value.equals(value)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** The value of the {@code grant_type} parameter, as {@link #value()}. */
  @Override
  public String toString() {
    return value;
  }
}
