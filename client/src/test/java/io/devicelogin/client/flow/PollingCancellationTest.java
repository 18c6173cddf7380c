package io.devicelogin.client.flow;

import static io.devicelogin.client.testing.DeviceFlowFixture.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.Cancellation;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.LoginCancelledException;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.http.HttpSettings;
import io.devicelogin.client.testing.DeviceFlowFixture;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.client.testing.RecordingListener;
import io.devicelogin.client.testing.Reply;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cancellation (a Ctrl-C in a CLI) and request timeouts. Where real time is involved, the tests
 * wait for events explicitly and bound the wait; they never sleep to hope for timing.
 */
@ExtendWith(NoSecretsInOutput.class)
class PollingCancellationTest {
  private final DeviceFlowFixture f = new DeviceFlowFixture();
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    pool.shutdownNow();
    f.close();
  }

  @Test
  void cancellingDuringAWaitEndsTheLoginAndSendsNothingAfterwards() {
    f.issuesCodes(5, 600);
    f.server.onSequence(TOKEN, Reply.oauthError(400, "authorization_pending"));
    Cancellation cancellation = new Cancellation();
    f.sleeper.cancelDuringSleep(2, cancellation);

    assertThatThrownBy(() -> f.login().login(cancellation))
        .isInstanceOf(LoginCancelledException.class);

    assertThat(f.server.requests(TOKEN)).hasSize(1);
  }

  @Test
  void aCancelledLoginSendsNoRequestAtAll() {
    f.issuesCodes(5, 600);
    Cancellation cancellation = new Cancellation();
    DeviceLogin login = f.login();
    DeviceAuthorization code = login.start();
    cancellation.cancel();

    assertThatThrownBy(() -> login.await(code, cancellation))
        .isInstanceOf(LoginCancelledException.class);

    assertThat(f.server.requests(TOKEN)).isEmpty();
  }

  @Test
  void cancellingFromAnotherThreadWakesTheRealSleeperAtOnce() throws Exception {
    f.issuesCodes(5, 600);
    f.server.onSequence(TOKEN, DeviceFlowFixture.tokens());
    DeviceLogin login = realTimeLogin(HttpSettings.defaults());
    DeviceAuthorization code = login.start();
    Cancellation cancellation = new Cancellation();

    Future<TokenSet> waiting = pool.submit(() -> login.await(code, cancellation));
    cancellation.cancel();

    // The first poll is due 5.25 s after issuance; a prompt return is far sooner.
    assertThatThrownBy(() -> waiting.get(2, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(LoginCancelledException.class);
    assertThat(f.server.requests(TOKEN)).isEmpty();
  }

  @Test
  void cancellingAbandonsARequestInFlight() throws Exception {
    f.issuesCodes(1, 600);
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    f.server.on(
        TOKEN,
        request -> {
          arrived.countDown();
          awaitQuietly(release, Duration.ofSeconds(30));
          return Reply.oauthError(400, "authorization_pending");
        });
    DeviceLogin login =
        realTimeLogin(HttpSettings.defaults().withRequestTimeout(Duration.ofSeconds(30)));
    DeviceAuthorization code = login.start();
    Cancellation cancellation = new Cancellation();

    Future<TokenSet> waiting = pool.submit(() -> login.await(code, cancellation));
    assertThat(arrived.await(10, TimeUnit.SECONDS)).as("the first poll arrived").isTrue();
    cancellation.cancel();

    assertThatThrownBy(() -> waiting.get(2, TimeUnit.SECONDS))
        .hasCauseInstanceOf(LoginCancelledException.class);
    release.countDown();
    assertThat(f.server.requests(TOKEN)).hasSize(1);
  }

  @Test
  void interruptingTheWaitingThreadCancelsTheLogin() throws Exception {
    f.issuesCodes(5, 600);
    DeviceLogin login = realTimeLogin(HttpSettings.defaults());
    DeviceAuthorization code = login.start();
    CountDownLatch started = new CountDownLatch(1);

    Future<TokenSet> waiting =
        pool.submit(
            () -> {
              started.countDown();
              return login.await(code, new Cancellation());
            });
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    waiting.cancel(true);

    assertThat(waiting.isCancelled()).isTrue();
    pool.shutdown();
    assertThat(pool.awaitTermination(2, TimeUnit.SECONDS)).as("the polling thread ended").isTrue();
    assertThat(f.server.requests(TOKEN)).isEmpty();
  }

  @Test
  void aPollThatTimesOutCountsAsANetworkFailureAndBacksOff() throws Exception {
    f.issuesCodes(5, 3600);
    CountDownLatch release = new CountDownLatch(1);
    f.server.on(
        TOKEN,
        request -> {
          if (f.server.requests(TOKEN).size() == 1) {
            awaitQuietly(release, Duration.ofSeconds(30));
            return Reply.oauthError(400, "authorization_pending");
          }
          return DeviceFlowFixture.tokens();
        });
    RecordingListener events = new RecordingListener();
    DeviceLogin login =
        DeviceLogin.builder()
            .metadata(f.metadata())
            .clientId("cli")
            .scope("read")
            .clock(f.clock)
            .sleeper(f.sleeper)
            .listener(events)
            .http(HttpSettings.defaults().withRequestTimeout(Duration.ofMillis(300)))
            .build();

    login.login(new Cancellation());
    release.countDown();

    assertThat(events.polls.get(0).outcome()).isEqualTo(PollOutcome.NETWORK_ERROR);
    assertThat(events.polls.get(0).detail())
        .hasValueSatisfying(d -> assertThat(d).contains("no answer within 300 ms"));
    assertThat(f.server.gaps(TOKEN)).containsExactly(Duration.ofMillis(10500));
  }

  private DeviceLogin realTimeLogin(HttpSettings http) {
    return DeviceLogin.builder()
        .metadata(f.metadata())
        .clientId("cli")
        .clock(Clock.systemUTC())
        .sleeper(Sleeper.system())
        .http(http)
        .build();
  }

  private static void awaitQuietly(CountDownLatch latch, Duration max) {
    try {
      latch.await(max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
