package io.devicelogin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.OAuthErrorException;
import io.devicelogin.client.PollingTimeoutException;
import io.devicelogin.client.Secret;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.flow.LoginListener;
import io.devicelogin.client.flow.PollEvent;
import io.devicelogin.client.flow.PollOutcome;
import io.devicelogin.client.flow.PollingPolicy;
import io.devicelogin.client.testing.ClockSleeper;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.ManualClock;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.device.UserCodeGenerator;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.User;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Our client library against our server: the whole device flow over real HTTP. */
@ExtendWith(NoSecretsInOutput.class)
class ServerFlowSmokeTest {
  @TempDir Path dataDir;
  private final ManualClock clock = ManualClock.atEpochOf2026();
  private DeviceLoginServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void ourClientLogsInRefreshesAndRevokesAgainstOurServer() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ServerConfig config =
        ServerConfig.parse(
            List.of("--port", "0", "--data-dir", dataDir.toString(), "--demo"),
            Map.of("DEVICELOGIN_DEMO_PASSWORD", IssuedSecrets.fresh("pw-")));
    server =
        DeviceLoginServer.start(config, clock, new SecureRandom(), new PrintStream(printed, true));
    assertThat(printed.toString()).contains("listening on " + server.issuer());
    User demo = server.context().users().findByUsername("demo").orElseThrow();

    DeviceLogin login =
        DeviceLogin.builder()
            .issuer(URI.create(server.issuer()))
            .clientId("devicelogin-cli")
            .scope("openid", "profile", "offline_access")
            .clock(clock)
            .sleeper(new ClockSleeper(clock))
            .listener(
                new LoginListener() {
                  @Override
                  public void polled(PollEvent event) {
                    if (event.attempt() == 2) {
                      var record =
                          server
                              .context()
                              .devices()
                              .findLive(UserCodeGenerator.normalise(lastCode).orElseThrow())
                              .orElseThrow();
                      server
                          .context()
                          .devices()
                          .approve(record.id(), demo, new Origin("127.0.0.1", "test"), null);
                    }
                  }
                })
            .build();
    DeviceAuthorization code = login.start();
    lastCode = code.userCode();
    IssuedSecrets.register(code.deviceCode().revealForTransmission());
    assertThat(code.verificationUriComplete())
        .hasValueSatisfying(u -> assertThat(u.toString()).contains("user_code="));

    TokenSet tokens = login.await(code);
    IssuedSecrets.register(tokens.accessToken().revealForTransmission());
    IssuedSecrets.register(tokens.refreshToken().orElseThrow().revealForTransmission());
    assertThat(tokens.scope()).containsExactly("openid", "profile", "offline_access");

    TokenSet refreshed = login.refresh(tokens);
    IssuedSecrets.register(refreshed.accessToken().revealForTransmission());
    IssuedSecrets.register(refreshed.refreshToken().orElseThrow().revealForTransmission());
    assertThat(server.context().tokens().validAccessToken(refreshed.accessToken())).isPresent();

    // The rotated refresh token presented again: invalid_grant, and the grant is revoked.
    assertThatThrownBy(() -> login.refresh(tokens))
        .isInstanceOf(OAuthErrorException.class)
        .hasMessageContaining("invalid_grant");
    assertThat(server.context().tokens().validAccessToken(refreshed.accessToken())).isEmpty();
    assertThat(login.revoke(refreshed).complete()).isTrue();
  }

  private String lastCode;

  @Test
  void pollsSoonerThanTheIntervalGetSlowDown() {
    ServerConfig config =
        ServerConfig.parse(
            List.of("--port", "0", "--data-dir", dataDir.toString(), "--demo"),
            Map.of("DEVICELOGIN_DEMO_PASSWORD", IssuedSecrets.fresh("pw-")));
    server =
        DeviceLoginServer.start(
            config, clock, new SecureRandom(), new PrintStream(new ByteArrayOutputStream()));
    List<PollOutcome> outcomes = new CopyOnWriteArrayList<>();
    DeviceLogin login =
        DeviceLogin.builder()
            .issuer(URI.create(server.issuer()))
            .clientId("devicelogin-cli")
            .clock(clock)
            .sleeper(new ClockSleeper(clock))
            .polling(
                PollingPolicy.defaults()
                    .withClockDriftPad(0)
                    .withMaximumWait(Duration.ofSeconds(30)))
            .listener(
                new LoginListener() {
                  @Override
                  public void polled(PollEvent event) {
                    outcomes.add(event.outcome());
                  }
                })
            .build();
    DeviceAuthorization code = login.start();
    IssuedSecrets.register(code.deviceCode().revealForTransmission());

    assertThatThrownBy(() -> login.await(code)).isInstanceOf(PollingTimeoutException.class);
    assertThat(outcomes).containsOnly(PollOutcome.PENDING);
    assertThat(Secret.of("x")).isNotNull();
  }
}
