package io.devicelogin.cli.terminal;

import io.devicelogin.cli.terminal.Platform.Os;
import io.devicelogin.client.Cancellation;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.LoginCancelledException;
import io.devicelogin.client.Secret;
import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.RecordingHttpServer;
import io.devicelogin.client.testing.Reply;
import io.devicelogin.client.wire.DeviceAuthorizationResponse;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A login against a local fake server that never approves, drawn by {@link LoginScreen} on the real
 * standard error: what {@link LoginScreenTmuxTest} runs inside tmux, and what a person can run by
 * hand to look at the screen. The server answers {@code authorization_pending}, once {@code
 * slow_down}, then pending again; Ctrl-C cancels. No browser is started: the launcher's runner only
 * pretends one was.
 *
 * <p>Arguments: {@code --no-browser}, {@code --qr}, {@code --no-qr}.
 */
public final class TerminalDemoMain {
  static final String USER_CODE = "WDJB-MJHT";
  static final String VERIFICATION_URI = "https://login.example.com/device";
  static final String COMPLETE_URI = VERIFICATION_URI + "?user_code=WDJBMJHT";
  static final int INTERVAL_SECONDS = 2;

  private TerminalDemoMain() {}

  public static void main(String[] args) {
    List<String> options = Arrays.asList(args);
    Clock clock = Clock.systemDefaultZone();
    RecordingHttpServer server = RecordingHttpServer.start(clock);
    DeviceAuthorizationResponse codes =
        new DeviceAuthorizationResponse(
            Secret.of(IssuedSecrets.fresh("dc-")),
            USER_CODE,
            URI.create(VERIFICATION_URI),
            URI.create(COMPLETE_URI),
            Duration.ofMinutes(10),
            Duration.ofSeconds(INTERVAL_SECONDS));
    server.on("/device_authorization", request -> Reply.json(200, codes.toJson()));
    server.onSequence(
        "/token",
        Reply.oauthError(400, "authorization_pending"),
        Reply.oauthError(400, "slow_down"),
        Reply.oauthError(400, "authorization_pending"));

    BrowserLauncher pretend =
        new BrowserLauncher(
            Platform.of(Os.LINUX, Map.of("DISPLAY", ":0"), "", Set.of()),
            (argv, grace) -> OptionalInt.empty());
    LoginScreen screen =
        LoginScreen.builder(System.err)
            .clock(clock)
            .launcher(pretend)
            .noBrowser(options.contains("--no-browser"))
            .qr(
                options.contains("--qr")
                    ? QrMode.ON
                    : options.contains("--no-qr") ? QrMode.OFF : QrMode.AUTO)
            .build();
    DeviceLogin login =
        DeviceLogin.builder()
            .metadata(
                AuthorizationServerMetadata.builder(server.uri("/token"))
                    .issuer(server.uri(""))
                    .deviceAuthorizationEndpoint(server.uri("/device_authorization"))
                    .build())
            .clientId("demo-cli")
            .scope("read")
            .clock(clock)
            .listener(screen)
            .build();

    Cancellation cancellation = new Cancellation();
    CountDownLatch cleanedUp = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  cancellation.cancel();
                  try {
                    // The JVM halts when the hooks return: give the main thread time to clean up.
                    cleanedUp.await(5, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "ctrl-c"));
    try {
      login.login(cancellation);
      screen.close();
      System.err.println("  Approved (this fake server never approves, so this is a bug).");
    } catch (LoginCancelledException e) {
      screen.close();
      System.err.println("  Cancelled. Nothing was stored.");
    } catch (RuntimeException e) {
      screen.close();
      System.err.println("  Failed: " + e.getMessage());
    } finally {
      server.close();
      cleanedUp.countDown();
    }
  }
}
