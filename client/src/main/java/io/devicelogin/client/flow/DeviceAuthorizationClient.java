package io.devicelogin.client.flow;

import io.devicelogin.client.Cancellation;
import io.devicelogin.client.ClientIdentity;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.http.Form;
import io.devicelogin.client.http.OAuthHttp;
import io.devicelogin.client.wire.DeviceAuthorizationResponse;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Sends the device authorization request (RFC 8628 §3.1) and reads the response (§3.2). */
public final class DeviceAuthorizationClient {
  /** Parameters the request sets itself; extra parameters may not replace them. */
  static final Set<String> RESERVED =
      Set.of("client_id", "client_secret", "scope", "grant_type", "device_code");

  private final OAuthHttp http;
  private final Clock clock;

  public DeviceAuthorizationClient(OAuthHttp http, Clock clock) {
    this.http = http;
    this.clock = clock;
  }

  /**
   * Requests a device code and a user code.
   *
   * @param extraParameters further parameters such as {@code audience} or {@code resource}, each
   *     with one or more values
   * @throws io.devicelogin.client.OAuthErrorException if the server answers with an error object
   * @throws io.devicelogin.client.InvalidResponseException if the answer is not a valid response
   */
  public DeviceAuthorization request(
      URI endpoint,
      ClientIdentity client,
      Set<String> scope,
      Map<String, List<String>> extraParameters,
      Cancellation cancellation) {
    Form form = client.authenticate(Form.of());
    if (!scope.isEmpty()) {
      form.add("scope", String.join(" ", scope));
    }
    extraParameters.forEach(
        (name, values) -> {
          if (RESERVED.contains(name)) {
            throw new IllegalArgumentException(
                "`" + name + "` cannot be set as an extra parameter");
          }
          values.forEach(value -> form.add(name, value));
        });
    DeviceAuthorizationResponse response =
        http.postForm(endpoint, form, cancellation).expect(DeviceAuthorizationResponse::parse);
    return new DeviceAuthorization(response, scope, clock.instant());
  }
}
