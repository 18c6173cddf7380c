package io.devicelogin.client.flow;

import static io.devicelogin.client.testing.DeviceFlowFixture.DEVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.InvalidResponseException;
import io.devicelogin.client.OAuthErrorException;
import io.devicelogin.client.ServerErrorException;
import io.devicelogin.client.TransportException;
import io.devicelogin.client.testing.DeviceFlowFixture;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.client.testing.RecordedRequest;
import io.devicelogin.client.testing.RecordingListener;
import io.devicelogin.client.testing.Reply;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The device authorization request and response, RFC 8628 §3.1–3.2. */
@ExtendWith(NoSecretsInOutput.class)
class DeviceAuthorizationClientTest {
  private final DeviceFlowFixture f = new DeviceFlowFixture();

  @AfterEach
  void stop() {
    f.close();
  }

  private DeviceLogin.Builder builder() {
    return DeviceLogin.builder()
        .metadata(f.metadata())
        .clientId("my-cli")
        .clock(f.clock)
        .sleeper(f.sleeper);
  }

  @Test
  void theRequestCarriesClientIdScopeAndExtraParametersAsAForm() {
    f.issuesCodes(5, 600);

    builder()
        .scope("openid", "offline_access")
        .parameter("audience", "https://api.example.com")
        .parameter("resource", "https://a.example.com")
        .parameter("resource", "https://b.example.com")
        .build()
        .start();

    RecordedRequest request = f.server.requests(DEVICE).get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(request.header("Accept")).isEqualTo("application/json");
    assertThat(request.param("client_id")).isEqualTo("my-cli");
    assertThat(request.param("scope")).isEqualTo("openid offline_access");
    assertThat(request.param("audience")).isEqualTo("https://api.example.com");
    assertThat(request.form().get("resource"))
        .containsExactly("https://a.example.com", "https://b.example.com");
    assertThat(request.param("client_secret")).isNull();
  }

  @Test
  void noScopeMeansNoScopeParameter() {
    f.issuesCodes(5, 600);

    builder().build().start();

    assertThat(f.server.requests(DEVICE).get(0).form()).containsOnlyKeys("client_id");
  }

  @Test
  void extraParametersCannotReplaceTheOnesTheRequestSets() {
    assertThatThrownBy(() -> builder().parameter("client_id", "other").build().start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("client_id");
    assertThat(f.server.requests(DEVICE)).isEmpty();
  }

  @Test
  void everyFieldOfTheResponseIsRead() {
    String deviceCode = IssuedSecrets.fresh("dc-");
    f.server.onSequence(
        DEVICE,
        Reply.json(
            200,
            """
        {"device_code":"%s","user_code":"WDJB-MJHT","verification_uri":"https://example.com/device",
         "verification_uri_complete":"https://example.com/device?user_code=WDJB-MJHT",
         "expires_in":1800,"interval":7}"""
                .formatted(deviceCode)));

    DeviceAuthorization code = builder().build().start();

    assertThat(code.deviceCode().revealForTransmission()).isEqualTo(deviceCode);
    assertThat(code.userCode()).isEqualTo("WDJB-MJHT");
    assertThat(code.verificationUri()).isEqualTo(URI.create("https://example.com/device"));
    assertThat(code.verificationUriComplete())
        .contains(URI.create("https://example.com/device?user_code=WDJB-MJHT"));
    assertThat(code.interval()).isEqualTo(Duration.ofSeconds(7));
    assertThat(code.issuedAt()).isEqualTo(f.clock.instant());
    assertThat(code.expiresAt()).isEqualTo(f.clock.instant().plusSeconds(1800));
    assertThat(code.toString()).contains("WDJB-MJHT").doesNotContain(deviceCode);
  }

  @Test
  void googlesVerificationUrlIsAcceptedAndAMissingIntervalIsFiveSeconds() {
    f.server.onSequence(
        DEVICE,
        Reply.json(
            200,
            """
        {"device_code":"%s","user_code":"GQVQ-JKEC","verification_url":"https://www.google.com/device",
         "expires_in":"1800"}"""
                .formatted(IssuedSecrets.fresh("dc-"))));

    DeviceAuthorization code = builder().build().start();

    assertThat(code.verificationUri()).isEqualTo(URI.create("https://www.google.com/device"));
    assertThat(code.verificationUriComplete()).isEmpty();
    assertThat(code.interval()).isEqualTo(Duration.ofSeconds(5));
  }

  @ParameterizedTest
  @ValueSource(strings = {"device_code", "user_code", "verification_uri", "expires_in"})
  void aMissingRequiredFieldIsAnInvalidResponseNamingIt(String field) {
    var json = DeviceFlowFixture.deviceResponse(5, 600).toJson();
    json.remove(field);
    f.server.onSequence(DEVICE, Reply.json(200, json));

    assertThatThrownBy(() -> builder().build().start())
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageContaining("`" + field + "` is missing")
        .hasMessageContaining(f.server.uri(DEVICE).toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"javascript:alert(1)", "file:///etc/passwd", "/relative/device", "not a uri"})
  void aVerificationUriThatIsNotAbsoluteHttpIsRefused(String uri) {
    var json = DeviceFlowFixture.deviceResponse(5, 600).toJson();
    json.put("verification_uri", uri);
    f.server.onSequence(DEVICE, Reply.json(200, json));

    assertThatThrownBy(() -> builder().build().start())
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageContaining("`verification_uri`");
  }

  @Test
  void aWrongTypeIsAnInvalidResponseNamingTheField() {
    var json = DeviceFlowFixture.deviceResponse(5, 600).toJson();
    json.put("expires_in", "soon");
    f.server.onSequence(DEVICE, Reply.json(200, json));

    assertThatThrownBy(() -> builder().build().start())
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageContaining("`expires_in` is not a number of seconds");
  }

  @Test
  void aBodyThatIsNotJsonIsAnInvalidResponseNamingTheContentType() {
    f.server.onSequence(DEVICE, Reply.text(200, "text/html; charset=utf-8", "<html>login</html>"));

    assertThatThrownBy(() -> builder().build().start())
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageContaining("expected a JSON object, got text/html");
  }

  @Test
  void anErrorObjectIsAnOAuthErrorWithTheServersCodeAndDescription() {
    f.server.onSequence(
        DEVICE,
        Reply.json(
            400,
            "{\"error\":\"invalid_scope\",\"error_description\":\"scope admin is not allowed\"}"));

    assertThatThrownBy(() -> builder().scope("admin").build().start())
        .isInstanceOfSatisfying(
            OAuthErrorException.class,
            e -> {
              assertThat(e.code()).isEqualTo("invalid_scope");
              assertThat(e.error().description()).contains("scope admin is not allowed");
              assertThat(e.httpStatus()).isEqualTo(400);
            });
  }

  @Test
  void aRedirectIsNotFollowedAndTheMessageSaysWhere() {
    f.server.onSequence(
        DEVICE, Reply.status(302).withHeader("Location", "https://elsewhere.example/device"));

    assertThatThrownBy(() -> builder().build().start())
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageContaining("redirected to https://elsewhere.example/device");
    assertThat(f.server.requests()).hasSize(1);
  }

  @Test
  void aServerFailureIsAServerError() {
    f.server.onSequence(DEVICE, Reply.text(503, "text/plain", "maintenance"));

    assertThatThrownBy(() -> builder().build().start())
        .isInstanceOfSatisfying(
            ServerErrorException.class, e -> assertThat(e.httpStatus()).isEqualTo(503));
  }

  @Test
  void anUnreachableServerIsATransportError() {
    URI closed = f.server.uri(DEVICE);
    f.server.close();

    assertThatThrownBy(() -> builder().build().start())
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("could not reach " + closed);
  }

  @Test
  void theCodeIssuedCallbackFiresOnceWithTheCode() {
    f.issuesCodes(5, 600);
    RecordingListener events = new RecordingListener();

    DeviceAuthorization code = builder().listener(events).build().start();

    assertThat(events.issued).isEqualTo(List.of(code));
  }
}
