package io.devicelogin.client.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The device authorization response (RFC 8628 §3.2).
 *
 * @param userCode the code the person types; it is shown on screen by design, so it is not a {@link
 *     Secret}
 * @param verificationUriComplete the verification URI with the user code in it, when the server
 *     offers one
 * @param interval the minimum time between polls, 5 s when the server did not say
 * @param message instructions for the person, as Entra ID sends them; not part of RFC 8628
 */
public record DeviceAuthorizationResponse(
    Secret deviceCode,
    String userCode,
    URI verificationUri,
    Optional<URI> verificationUriComplete,
    Duration expiresIn,
    Duration interval,
    Optional<String> message) {
  /** RFC 8628 §3.2: "If no value is provided, clients MUST use 5 as the default." */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  public DeviceAuthorizationResponse {
    Objects.requireNonNull(deviceCode, "deviceCode");
    Objects.requireNonNull(userCode, "userCode");
    Objects.requireNonNull(verificationUri, "verificationUri");
    Objects.requireNonNull(verificationUriComplete, "verificationUriComplete");
    Objects.requireNonNull(expiresIn, "expiresIn");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(message, "message");
  }

  /** A response without a message; {@code verificationUriComplete} may be null. */
  public DeviceAuthorizationResponse(
      Secret deviceCode,
      String userCode,
      URI verificationUri,
      URI verificationUriComplete,
      Duration expiresIn,
      Duration interval) {
    this(
        deviceCode,
        userCode,
        verificationUri,
        Optional.ofNullable(verificationUriComplete),
        expiresIn,
        interval,
        Optional.empty());
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
    Optional<URI> complete = Json.optionalWebUri(json, "verification_uri_complete");
    Duration expiresIn =
        Json.optionalSeconds(json, "expires_in")
            .orElseThrow(() -> new MalformedMessageException("`expires_in` is missing"));
    if (expiresIn.isZero()) {
      throw new MalformedMessageException("`expires_in` is zero");
    }
    Duration interval =
        Json.optionalSeconds(json, "interval").filter(d -> !d.isZero()).orElse(DEFAULT_INTERVAL);
    return new DeviceAuthorizationResponse(
        deviceCode,
        userCode,
        verificationUri,
        complete,
        expiresIn,
        interval,
        Json.optionalString(json, "message"));
  }

  /** The response as a server sends it; the device code is revealed for transmission. */
  public ObjectNode toJson() {
    ObjectNode json =
        Json.newObject()
            .put("device_code", deviceCode.revealForTransmission())
            .put("user_code", userCode)
            .put("verification_uri", verificationUri.toString());
    Json.putIfPresent(json, "verification_uri_complete", verificationUriComplete);
    json.put("expires_in", expiresIn.toSeconds());
    json.put("interval", interval.toSeconds());
    Json.putIfPresent(json, "message", message);
    return json;
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
