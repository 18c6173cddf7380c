package io.devicelogin.client.wire;

import io.devicelogin.client.Secret;
import java.util.Map;
import java.util.Objects;

/**
 * A token request (RFC 6749 §4.1.3, §6; RFC 8628 §3.4): one record per grant type. Client
 * authentication is added by whoever sends it, and read by whoever receives it.
 */
public sealed interface TokenRequest {
  /** What {@link #parse} says of a grant type it does not know. */
  String SUPPORTED = "this server supports the device code and refresh token grants";

  GrantType grantType();

  /** The form as sent, without client authentication. */
  Form toForm();

  /**
   * Reads a token request of any grant type this library speaks.
   *
   * @throws MalformedRequestException {@code invalid_request} for a missing parameter, {@code
   *     unsupported_grant_type} for another grant type, {@code invalid_scope} for a bad scope
   */
  static TokenRequest parse(Map<String, String> form) {
    String grantType = RequestParameters.required(form, "grant_type");
    return switch (GrantType.parse(grantType)
        .orElseThrow(
            () -> new MalformedRequestException(OAuthError.UNSUPPORTED_GRANT_TYPE, SUPPORTED))) {
      case DEVICE_CODE -> DeviceCode.parse(form);
      case REFRESH_TOKEN -> Refresh.parse(form);
    };
  }

  /** Polling with a device code (RFC 8628 §3.4). */
  record DeviceCode(Secret deviceCode) implements TokenRequest {
    public DeviceCode {
      Objects.requireNonNull(deviceCode, "deviceCode");
    }

    @Override
    public GrantType grantType() {
      return GrantType.DEVICE_CODE;
    }

    @Override
    public Form toForm() {
      return Form.of()
          .add("grant_type", grantType().value())
          .add("device_code", deviceCode.revealForTransmission());
    }

    /**
     * @throws MalformedRequestException {@code invalid_request} without a {@code device_code}
     */
    static DeviceCode parse(Map<String, String> form) {
      return new DeviceCode(Secret.of(RequestParameters.required(form, "device_code")));
    }
  }

  /**
   * Refreshing an access token (RFC 6749 §6).
   *
   * @param scope the scope asked for, within the one granted; empty to keep that one
   */
  record Refresh(Secret refreshToken, Scope scope) implements TokenRequest {
    public Refresh {
      Objects.requireNonNull(refreshToken, "refreshToken");
      Objects.requireNonNull(scope, "scope");
    }

    @Override
    public GrantType grantType() {
      return GrantType.REFRESH_TOKEN;
    }

    @Override
    public Form toForm() {
      Form form =
          Form.of()
              .add("grant_type", grantType().value())
              .add("refresh_token", refreshToken.revealForTransmission());
      if (!scope.isEmpty()) {
        form.add("scope", scope.format());
      }
      return form;
    }

    /**
     * @throws MalformedRequestException {@code invalid_scope} for a bad scope, {@code
     *     invalid_request} without a {@code refresh_token}
     */
    static Refresh parse(Map<String, String> form) {
      // The scope first: the order in which the token endpoint has always refused them.
      Scope scope = RequestParameters.scope(form);
      return new Refresh(Secret.of(RequestParameters.required(form, "refresh_token")), scope);
    }
  }
}
