package io.devicelogin.client.testing;

import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.Secret;
import io.devicelogin.client.flow.LoginListener;
import io.devicelogin.client.flow.PollingPolicy;
import io.devicelogin.client.http.HttpSettings;
import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.wire.DeviceAuthorizationResponse;
import io.devicelogin.client.wire.Scope;
import io.devicelogin.client.wire.TokenResponse;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * A recording server with device, token and revocation endpoints, a manual clock, and a {@link
 * DeviceLogin} wired to both. Every code and token it makes is registered with {@link
 * IssuedSecrets}.
 */
public final class DeviceFlowFixture implements AutoCloseable {
  public static final String DEVICE = "/device_authorization";
  public static final String TOKEN = "/token";
  public static final String REVOKE = "/revoke";

  public final ManualClock clock = ManualClock.atEpochOf2026();
  public final ClockSleeper sleeper = new ClockSleeper(clock);
  public final RecordingHttpServer server = RecordingHttpServer.start(clock);

  public AuthorizationServerMetadata metadata() {
    return AuthorizationServerMetadata.builder(server.uri(TOKEN))
        .issuer(server.uri(""))
        .deviceAuthorizationEndpoint(server.uri(DEVICE))
        .revocationEndpoint(server.uri(REVOKE))
        .build();
  }

  /** A login for client {@code cli} asking for {@code read}, with the given policy and listener. */
  public DeviceLogin login(PollingPolicy policy, LoginListener listener) {
    return DeviceLogin.builder()
        .metadata(metadata())
        .clientId("cli")
        .scope("read")
        .clock(clock)
        .sleeper(sleeper)
        .polling(policy)
        .listener(listener)
        .http(HttpSettings.defaults().withRequestTimeout(Duration.ofSeconds(5)))
        .build();
  }

  public DeviceLogin login() {
    return login(PollingPolicy.defaults(), LoginListener.NONE);
  }

  /** Serves a device authorization response with the given interval and lifetime, in seconds. */
  public DeviceFlowFixture issuesCodes(long intervalSeconds, long expiresInSeconds) {
    server.onSequence(
        DEVICE, Reply.json(200, deviceResponse(intervalSeconds, expiresInSeconds).toJson()));
    return this;
  }

  public static DeviceAuthorizationResponse deviceResponse(
      long intervalSeconds, long expiresInSeconds) {
    return new DeviceAuthorizationResponse(
        Secret.of(IssuedSecrets.fresh("dc-")),
        "BCDF-GHJK",
        URI.create("https://id.example.com/device"),
        URI.create("https://id.example.com/device?user_code=BCDFGHJK"),
        Duration.ofSeconds(expiresInSeconds),
        Duration.ofSeconds(intervalSeconds));
  }

  /** A token response with fresh access and refresh tokens, scope {@code read}, 10 minutes. */
  public static Reply tokens() {
    return tokens("read");
  }

  public static Reply tokens(String scope) {
    TokenResponse response =
        new TokenResponse(
            Secret.of(IssuedSecrets.fresh("at-")),
            "Bearer",
            Duration.ofMinutes(10),
            Secret.of(IssuedSecrets.fresh("rt-")),
            Scope.parse(scope),
            null,
            Map.of());
    return Reply.json(200, response.toJson());
  }

  @Override
  public void close() {
    server.close();
  }
}
