package io.devicelogin.client;

import io.devicelogin.client.wire.DeviceAuthorizationResponse;
import io.devicelogin.client.wire.Scope;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A started device authorization: what to show the person, and what the client needs to poll. Its
 * {@code toString} shows the user code and URIs, never the device code.
 */
public final class DeviceAuthorization {
  private final DeviceAuthorizationResponse response;
  private final Scope requestedScope;
  private final Instant issuedAt;

  public DeviceAuthorization(
      DeviceAuthorizationResponse response, Scope requestedScope, Instant issuedAt) {
    this.response = Objects.requireNonNull(response, "response");
    this.requestedScope = Objects.requireNonNull(requestedScope, "requestedScope");
    this.issuedAt = Objects.requireNonNull(issuedAt, "issuedAt");
  }

  /** The code the person enters at {@link #verificationUri()}. */
  public String userCode() {
    return response.userCode();
  }

  public URI verificationUri() {
    return response.verificationUri();
  }

  /** A URI that carries the user code, for a link or a QR code; not every server sends one. */
  public Optional<URI> verificationUriComplete() {
    return response.verificationUriComplete();
  }

  /** The device code, for polling only. */
  public Secret deviceCode() {
    return response.deviceCode();
  }

  /** When the client received the response, by its clock. */
  public Instant issuedAt() {
    return issuedAt;
  }

  /** When the codes expire, by the client's clock. */
  public Instant expiresAt() {
    return issuedAt.plus(response.expiresIn());
  }

  /** The minimum wait between polls the server asked for. */
  public Duration interval() {
    return response.interval();
  }

  /** The server's own instructions for the person, where it sends some (Entra ID). */
  public Optional<String> message() {
    return response.message();
  }

  public Scope requestedScope() {
    return requestedScope;
  }

  /** The response as received. */
  public DeviceAuthorizationResponse response() {
    return response;
  }

  @Override
  public String toString() {
    return "DeviceAuthorization[userCode="
        + userCode()
        + ", verificationUri="
        + verificationUri()
        + ", expiresAt="
        + expiresAt()
        + "]";
  }
}
