package io.devicelogin.client.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** The device authorization response (RFC 8628 §3.2). */
public final class DeviceAuthorizationResponse {
  /** RFC 8628 §3.2: "If no value is provided, clients MUST use 5 as the default." */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  private final Secret deviceCode;
  private final String userCode;
  private final URI verificationUri;
  private final URI verificationUriComplete;
  private final Duration expiresIn;
  private final Duration interval;
  private final String message;

  public DeviceAuthorizationResponse(
      Secret deviceCode,
      String userCode,
      URI verificationUri,
      URI verificationUriComplete,
      Duration expiresIn,
      Duration interval) {
    this(deviceCode, userCode, verificationUri, verificationUriComplete, expiresIn, interval, null);
  }

  public DeviceAuthorizationResponse(
      Secret deviceCode,
      String userCode,
      URI verificationUri,
      URI verificationUriComplete,
      Duration expiresIn,
      Duration interval,
      String message) {
    this.deviceCode = Objects.requireNonNull(deviceCode, "deviceCode");
    this.userCode = Objects.requireNonNull(userCode, "userCode");
    this.verificationUri = Objects.requireNonNull(verificationUri, "verificationUri");
    this.verificationUriComplete = verificationUriComplete;
    this.expiresIn = Objects.requireNonNull(expiresIn, "expiresIn");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.message = message;
  }

  /**
   * Parses the response. Google's {@code verification_url} is taken where {@code verification_uri}
   * is absent; an absent, zero or negative {@code interval} becomes 5 s. Entra ID's {@code message}
   * (instructions in the person's language) is kept.
   */
  public static DeviceAuthorizationResponse parse(JsonNode json) {
    Secret deviceCode = Json.requiredSecret(json, "device_code");
    String userCode = Json.requiredString(json, "user_code");
    URI verificationUri =
        Json.optionalWebUri(json, "verification_uri")
            .or(() -> Json.optionalWebUri(json, "verification_url"))
            .orElseThrow(() -> new MalformedMessageException("`verification_uri` is missing"));
    URI complete = Json.optionalWebUri(json, "verification_uri_complete").orElse(null);
    Duration expiresIn =
        Json.optionalSeconds(json, "expires_in")
            .orElseThrow(() -> new MalformedMessageException("`expires_in` is missing"));
    if (expiresIn.isZero()) {
      throw new MalformedMessageException("`expires_in` is zero");
    }
    Duration interval =
        Json.optionalSeconds(json, "interval").filter(d -> !d.isZero()).orElse(DEFAULT_INTERVAL);
    String message = Json.optionalString(json, "message").orElse(null);
    return new DeviceAuthorizationResponse(
        deviceCode, userCode, verificationUri, complete, expiresIn, interval, message);
  }

  /** The response as a server sends it; the device code is revealed for transmission. */
  public ObjectNode toJson() {
    ObjectNode json =
        Json.newObject()
            .put("device_code", deviceCode.revealForTransmission())
            .put("user_code", userCode)
            .put("verification_uri", verificationUri.toString());
    Json.putIfPresent(json, "verification_uri_complete", verificationUriComplete());
    json.put("expires_in", expiresIn.toSeconds());
    json.put("interval", interval.toSeconds());
    Json.putIfPresent(json, "message", message());
    return json;
  }

  public Secret deviceCode() {
    return deviceCode;
  }

  /** The code the person types; it is shown on screen by design, so it is not a {@link Secret}. */
  public String userCode() {
    return userCode;
  }

  public URI verificationUri() {
    return verificationUri;
  }

  /** The verification URI with the user code in it, when the server offers one. */
  public Optional<URI> verificationUriComplete() {
    return Optional.ofNullable(verificationUriComplete);
  }

  public Duration expiresIn() {
    return expiresIn;
  }

  /** The minimum time between polls, 5 s when the server did not say. */
  public Duration interval() {
    return interval;
  }

  /** Instructions for the person, as Entra ID sends them; not part of RFC 8628. */
  public Optional<String> message() {
    return Optional.ofNullable(message);
  }

  @Override
  public String toString() {
    return "DeviceAuthorizationResponse[userCode="
        + userCode
        + ", verificationUri="
        + verificationUri
        + ", expiresIn="
        + expiresIn.toSeconds()
        + "s, interval="
        + interval.toSeconds()
        + "s]";
  }
}
