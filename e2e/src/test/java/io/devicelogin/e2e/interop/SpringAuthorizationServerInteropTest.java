package io.devicelogin.e2e.interop;

import static io.devicelogin.e2e.interop.SpringAuthorizationServerApp.BRIEF_CLI;
import static io.devicelogin.e2e.interop.SpringAuthorizationServerApp.CLI;
import static io.devicelogin.e2e.interop.SpringAuthorizationServerApp.LAPSING_CLI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.devicelogin.client.AccessDeniedException;
import io.devicelogin.client.Cancellation;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.DeviceLogin;
import io.devicelogin.client.ExpiredTokenException;
import io.devicelogin.client.LoginCancelledException;
import io.devicelogin.client.OAuthErrorException;
import io.devicelogin.client.Secret;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.TokenType;
import io.devicelogin.client.flow.LoginListener;
import io.devicelogin.client.flow.PollEvent;
import io.devicelogin.client.flow.PollOutcome;
import io.devicelogin.client.flow.PollingPolicy;
import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.client.tokens.RevocationReport;
import io.devicelogin.client.wire.Scope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client library against a real Spring Authorization Server (Spring Security 7 on Spring Boot
 * 4), started once in this JVM on a loopback port: discovery, the device flow with a person who
 * signs in and consents over real HTTP, refresh, revocation, denial and expiry. Real clock, real
 * sleeps inside the client; the test itself only ever waits for events.
 *
 * <p>Every token and code the client receives is registered with {@link IssuedSecrets}, so {@link
 * NoSecretsInOutput} fails a test if one of them shows up in a log line or on the console.
 */
@ExtendWith(NoSecretsInOutput.class)
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class SpringAuthorizationServerInteropTest extends AgainstSpringAuthorizationServer {
  /** Far above any wait here; only a broken run reaches it. */
  private static final Duration GIVE_UP = Duration.ofSeconds(30);

  @Test
  void approvedLoginThenRefreshThenRevoke() throws Exception {
    Polls polls = new Polls();
    DeviceLogin login = client(CLI, polls, "read", "write");

    AuthorizationServerMetadata metadata = login.metadata();
    assertThat(metadata.issuer()).contains(issuer);
    assertThat(metadata.deviceAuthorizationEndpoint())
        .contains(issuer.resolve("/oauth2/device_authorization"));
    assertThat(metadata.tokenEndpoint()).isEqualTo(issuer.resolve("/oauth2/token"));
    assertThat(metadata.revocationEndpoint()).contains(issuer.resolve("/oauth2/revoke"));
    assertThat(metadata.grantTypesSupported())
        .contains("urn:ietf:params:oauth:grant-type:device_code", "refresh_token");

    DeviceAuthorization authorization = login.start();
    IssuedSecrets.register(authorization.deviceCode().revealForTransmission());
    // Spring sends no `interval` (checked on the raw response below): RFC 8628's 5 s applies.
    assertThat(authorization.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(authorization.verificationUri())
        .isEqualTo(issuer.resolve("/oauth2/device_verification"));
    assertThat(authorization.verificationUriComplete())
        .contains(
            URI.create(authorization.verificationUri() + "?user_code=" + authorization.userCode()));
    assertThat(authorization.expiresAt())
        .isBetween(Instant.now().plusSeconds(290), Instant.now().plusSeconds(300));

    // The person acts only once the client has polled and been told to wait, so that both the
    // pending answer and the approval are seen.
    Cancellation cancellation = new Cancellation();
    CompletableFuture<SpringPerson.Answer> person =
        act(
            cancellation,
            () -> {
              polls.awaitFirst(PollOutcome.PENDING);
              return new SpringPerson("alice", passwords.get("alice")).approve(authorization);
            });

    TokenSet tokens = awaitWhile(person, () -> login.await(authorization, cancellation));
    registerAll(tokens);

    assertThat(person.join().status()).as("Spring's answer to the consent").isEqualTo(302);
    assertThat(person.join().location()).hasToString(issuer + "/?success");
    assertThat(polls.outcomes()).first().isEqualTo(PollOutcome.PENDING);
    assertThat(polls.outcomes()).last().isEqualTo(PollOutcome.APPROVED);
    assertThat(polls.outcomes()).filteredOn(o -> o != PollOutcome.PENDING).hasSize(1);
    assertThat(tokens.tokenType()).isEqualTo(TokenType.BEARER);
    assertThat(tokens.scope()).containsExactlyInAnyOrder("read", "write");
    assertThat(tokens.refreshToken())
        .as("Spring issues refresh tokens to public device clients")
        .isPresent();
    assertThat(tokens.expiresAt()).isPresent();
    JsonNode introspected = introspect(tokens.accessToken());
    assertThat(introspected.path("active").asBoolean()).isTrue();
    assertThat(introspected.path("client_id").asText()).isEqualTo(CLI);
    assertThat(introspected.path("sub").asText()).isEqualTo("alice");
    assertThat(introspected.path("scope").asText().split(" "))
        .containsExactlyInAnyOrder("read", "write");

    TokenSet refreshed = login.refresh(tokens);
    registerAll(refreshed);
    assertThat(refreshed.scope()).containsExactlyInAnyOrder("read", "write");
    assertThat(refreshed.accessToken()).isNotEqualTo(tokens.accessToken());
    // The client is registered with reuseRefreshTokens(false): Spring rotates it.
    assertThat(refreshed.refreshToken()).isPresent().isNotEqualTo(tokens.refreshToken());
    assertThat(introspect(refreshed.accessToken()).path("active").asBoolean()).isTrue();
    assertThat(introspect(tokens.refreshToken().orElseThrow()).path("active").asBoolean())
        .as("the rotated-out refresh token")
        .isFalse();

    TokenSet narrowed = login.refresh(refreshed, Scope.of("read"), new Cancellation());
    registerAll(narrowed);
    assertThat(narrowed.scope()).containsExactly("read");
    assertThat(narrowed.refreshToken()).isPresent().isNotEqualTo(refreshed.refreshToken());
    assertThat(introspect(narrowed.accessToken()).path("scope").asText()).isEqualTo("read");

    RevocationReport report = login.revoke(narrowed);
    assertThat(report.outcomes())
        .extracting(RevocationReport.Outcome::tokenTypeHint, RevocationReport.Outcome::status)
        .containsExactly(
            tuple("refresh_token", RevocationReport.Status.REVOKED),
            tuple("access_token", RevocationReport.Status.REVOKED));
    assertThat(report.complete()).isTrue();
    assertThat(introspect(narrowed.accessToken()).path("active").asBoolean()).isFalse();
    assertThat(introspect(narrowed.refreshToken().orElseThrow()).path("active").asBoolean())
        .isFalse();
    assertThatThrownBy(() -> login.refresh(narrowed))
        .isInstanceOfSatisfying(
            OAuthErrorException.class, e -> assertThat(e.code()).isEqualTo("invalid_grant"));
  }

  /**
   * The premise of the 5 s above. For {@code CLI} the response comes from {@link
   * SpringAuthorizationServerApp.DeviceAuthorizationResponseWriter}, which for a client without
   * {@code INTERVAL} writes what Spring's own handler writes: Spring 7.0's {@code
   * OAuth2DeviceAuthorizationEndpointFilter} never sets an {@code interval}.
   */
  @Test
  void deviceAuthorizationResponseHasNoIntervalAsSpringsOwn() throws Exception {
    HttpResponse<String> response =
        postForm(
            issuer.resolve("/oauth2/device_authorization"),
            Map.of("client_id", CLI, "scope", "read"),
            null);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    IssuedSecrets.register(body.path("device_code").asText());
    assertThat(body.has("device_code")).isTrue();
    assertThat(body.has("interval")).isFalse();
    assertThat(body.path("expires_in").asLong()).isEqualTo(300);
  }

  @Test
  void personCancelsConsent() throws Exception {
    Polls polls = new Polls();
    DeviceLogin login = client(CLI, polls, "read", "write");
    DeviceAuthorization authorization = login.start();
    IssuedSecrets.register(authorization.deviceCode().revealForTransmission());

    // Another user than the approving test's: Spring remembers consent per client and user, and
    // would not ask someone who already consented.
    Cancellation cancellation = new Cancellation();
    CompletableFuture<SpringPerson.Answer> person =
        act(
            cancellation,
            () -> new SpringPerson("bob", passwords.get("bob")).cancelConsent(authorization));

    assertThatThrownBy(() -> awaitWhile(person, () -> login.await(authorization, cancellation)))
        .isInstanceOfSatisfying(
            AccessDeniedException.class,
            e -> {
              assertThat(e.code()).isEqualTo("access_denied");
              assertThat(e.httpStatus()).isEqualTo(400);
            });
    // Spring answers the cancelled consent form itself with 400 access_denied.
    assertThat(person.join().status()).isEqualTo(400);
    assertThat(polls.outcomes()).last().isEqualTo(PollOutcome.DENIED);
  }

  @Test
  void codeExpiresAtTheClientsDeadlineAndSpringAgrees() throws Exception {
    Polls polls = new Polls();
    DeviceLogin login = client(BRIEF_CLI, polls, "read");
    DeviceAuthorization authorization = login.start();
    IssuedSecrets.register(authorization.deviceCode().revealForTransmission());
    assertThat(authorization.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(authorization.response().expiresIn()).isEqualTo(Duration.ofSeconds(2));

    // Nobody approves. Spring's expires_in is its real lifetime rounded down, and the client counts
    // it from when the response arrived, i.e. after Spring issued the code: so the client's
    // deadline
    // comes (a little) after Spring's, and a client that never polls at or after its deadline never
    // hears Spring say expired_token. It stops by its own clock: the exception carries no HTTP
    // status.
    assertThatThrownBy(() -> login.await(authorization))
        .isInstanceOfSatisfying(
            ExpiredTokenException.class,
            e -> {
              assertThat(e.httpStatus()).as("detected by the client's clock").isZero();
              assertThat(e.error().description())
                  .hasValueSatisfying(d -> assertThat(d).contains("client's clock"));
            });
    assertThat(polls.outcomes()).isNotEmpty().containsOnly(PollOutcome.PENDING);

    // And Spring agrees the code is dead by now.
    HttpResponse<String> poll =
        postForm(
            issuer.resolve("/oauth2/token"),
            Map.of(
                "grant_type",
                "urn:ietf:params:oauth:grant-type:device_code",
                "device_code",
                authorization.deviceCode().revealForTransmission(),
                "client_id",
                BRIEF_CLI),
            null);
    assertThat(poll.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(poll.body()).path("error").asText()).isEqualTo("expired_token");
  }

  @Test
  void springsExpiredTokenEndsTheLogin() {
    Polls polls = new Polls();
    DeviceLogin login = client(LAPSING_CLI, polls, "read");
    DeviceAuthorization authorization = login.start();
    IssuedSecrets.register(authorization.deviceCode().revealForTransmission());
    assertThat(authorization.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(authorization.response().expiresIn()).isEqualTo(Duration.ofSeconds(6));

    // Spring's code lives 1.5 s while the response announced 6 s (see LAPSING_CLI). The client
    // polls at about 1.05 s and 2.1 s; by the second poll at the latest Spring answers
    // expired_token, well before the client's own deadline at 6 s. So this is the server's verdict:
    // HTTP 400 with the error object, and the poll is reported as EXPIRED.
    assertThatThrownBy(() -> login.await(authorization))
        .isInstanceOfSatisfying(
            ExpiredTokenException.class,
            e -> {
              assertThat(e.httpStatus()).as("answered by Spring").isEqualTo(400);
              assertThat(e.code()).isEqualTo("expired_token");
            });
    assertThat(polls.outcomes()).last().isEqualTo(PollOutcome.EXPIRED);
  }

  private static DeviceLogin client(String clientId, LoginListener listener, String... scope) {
    return DeviceLogin.builder()
        .issuer(issuer)
        .clientId(clientId)
        .scope(scope)
        .listener(listener)
        .polling(PollingPolicy.defaults().withMaximumWait(GIVE_UP))
        .build();
  }

  private static void registerAll(TokenSet tokens) {
    IssuedSecrets.register(tokens.accessToken().revealForTransmission());
    tokens.refreshToken().ifPresent(t -> IssuedSecrets.register(t.revealForTransmission()));
    tokens.idToken().ifPresent(t -> IssuedSecrets.register(t.revealForTransmission()));
  }

  /** What the person does, on its own thread; if it fails, the login is cancelled at once. */
  private static CompletableFuture<SpringPerson.Answer> act(
      Cancellation cancellation, PersonAction action) {
    CompletableFuture<SpringPerson.Answer> person =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return action.run();
              } catch (Exception e) {
                throw new IllegalStateException("the person could not finish: " + e, e);
              }
            },
            people);
    person.whenComplete(
        (answer, failure) -> {
          if (failure != null) {
            cancellation.cancel();
          }
        });
    return person;
  }

  /**
   * Runs the client's wait; if the person's failure cancelled it, that failure is what is thrown.
   */
  private static <T> T awaitWhile(CompletableFuture<?> person, Supplier<T> wait) {
    try {
      return wait.get();
    } catch (LoginCancelledException e) {
      person.join();
      throw e;
    }
  }

  private static JsonNode introspect(Secret token) throws IOException, InterruptedException {
    return introspect(token.revealForTransmission());
  }

  @FunctionalInterface
  private interface PersonAction {
    SpringPerson.Answer run() throws Exception;
  }

  /** Records the client's polls and lets the person wait for one. */
  private static final class Polls implements LoginListener {
    private final List<PollEvent> events = new CopyOnWriteArrayList<>();
    private final Map<PollOutcome, CountDownLatch> seen = new ConcurrentHashMap<>();

    @Override
    public void polled(PollEvent event) {
      events.add(event);
      latch(event.outcome()).countDown();
    }

    void awaitFirst(PollOutcome outcome) throws InterruptedException {
      if (!latch(outcome).await(GIVE_UP.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("the client never polled with outcome " + outcome);
      }
    }

    List<PollOutcome> outcomes() {
      return events.stream().map(PollEvent::outcome).collect(Collectors.toList());
    }

    private CountDownLatch latch(PollOutcome outcome) {
      return seen.computeIfAbsent(outcome, o -> new CountDownLatch(1));
    }
  }
}
