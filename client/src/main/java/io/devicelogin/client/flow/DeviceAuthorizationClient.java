package io.devicelogin.client.flow;

import io.devicelogin.client.Cancellation;
import io.devicelogin.client.ClientIdentity;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.InvalidResponseException;
import io.devicelogin.client.OAuthErrorException;
import io.devicelogin.client.http.OAuthHttp;
import io.devicelogin.client.wire.DeviceAuthorizationRequest;
import io.devicelogin.client.wire.DeviceAuthorizationResponse;
import io.devicelogin.client.wire.Form;
import java.net.URI;
import java.time.Clock;

/** Sends the device authorization request (RFC 8628 §3.1) and reads the response (§3.2). */
public record DeviceAuthorizationClient(OAuthHttp http, Clock clock) {
  /**
   * Requests a device code and a user code.
   *
   * @throws OAuthErrorException if the server answers with an error object
   * @throws InvalidResponseException if the answer is not a valid response
   */
  public DeviceAuthorization request(
      URI endpoint,
      ClientIdentity client,
      DeviceAuthorizationRequest request,
      Cancellation cancellation) {
    Form form = client.authenticate(Form.of()).addAll(request.toForm());
    DeviceAuthorizationResponse response =
        http.postForm(endpoint, form, cancellation).expect(DeviceAuthorizationResponse::parse);
    return new DeviceAuthorization(response, request.scope(), clock.instant());
  }
}
