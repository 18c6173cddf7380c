package io.devicelogin.client.flow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.Cancellation;
import io.devicelogin.client.ClientIdentity;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.ExpiredTokenException;
import io.devicelogin.client.InvalidResponseException;
import io.devicelogin.client.OAuthErrorException;
import io.devicelogin.client.PollingTimeoutException;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.TransportException;
import io.devicelogin.client.http.HttpResult;
import io.devicelogin.client.http.OAuthHttp;
import io.devicelogin.client.wire.Form;
import io.devicelogin.client.wire.Json;
import io.devicelogin.client.wire.MalformedMessageException;
import io.devicelogin.client.wire.OAuthError;
import io.devicelogin.client.wire.TokenRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the token endpoint until the person answers (RFC 8628 §3.4–3.5).
 *
 * <p>The rules, each proved by a test against a real local HTTP server and a controlled clock:
 *
 * <ul>
 *   <li>every poll, the first included, comes at least {@code interval} (padded, see {@link
 *       PollingPolicy}) after the previous answer or the issuance of the code;
 *   <li>{@code authorization_pending} keeps polling; {@code slow_down} adds 5 s to the interval for
 *       this and every later poll, or takes the server's {@code interval} when that is larger;
 *   <li>{@code access_denied} and {@code expired_token} stop with {@link
 *       io.devicelogin.client.AccessDeniedException} and {@link ExpiredTokenException}; any other
 *       error object stops with {@link OAuthErrorException};
 *   <li>no request is sent at or after the hard timeout, the smaller of {@code expires_in} and the
 *       policy's maximum wait ({@link ExpiredTokenException} or {@link PollingTimeoutException});
 *   <li>connection failures, request timeouts and 5xx answers back off exponentially; a {@code
 *       Retry-After} on 429 or 503 is obeyed;
 *   <li>a {@link Cancellation} ends a wait or a request in flight at once, and nothing is sent
 *       afterwards.
 * </ul>
 *
 * <p>All waiting goes through the {@link Sleeper} and all time through the {@link Clock}.
 */
public final class PollingEngine {
  private static final Logger log = LoggerFactory.getLogger(PollingEngine.class);

  private final OAuthHttp http;
  private final Clock clock;
  private final Sleeper sleeper;
  private final PollingPolicy policy;
  private final UnaryOperator<OAuthError> standardError;

  public PollingEngine(OAuthHttp http, Clock clock, Sleeper sleeper, PollingPolicy policy) {
    this(http, clock, sleeper, policy, UnaryOperator.identity());
  }

  /**
   * With {@code standardError}, which reads a provider's own error names as the RFC's (see {@link
   * io.devicelogin.client.provider.Provider#standardError}): the engine itself knows only RFC 8628.
   */
  public PollingEngine(
      OAuthHttp http,
      Clock clock,
      Sleeper sleeper,
      PollingPolicy policy,
      UnaryOperator<OAuthError> standardError) {
    this.http = http;
    this.clock = clock;
    this.sleeper = sleeper;
    this.policy = policy;
    this.standardError = standardError;
  }

  /**
   * Polls until tokens arrive, the person denies, the code expires, the maximum wait passes, or the
   * login is cancelled.
   */
  public TokenSet await(
      URI tokenEndpoint,
      ClientIdentity client,
      DeviceAuthorization authorization,
      LoginListener listener,
      Cancellation cancellation) {
    Instant expiresAt = authorization.expiresAt();
    Instant givesUpAt = clock.instant().plus(policy.maximumWait());
    boolean limitedByExpiry = !givesUpAt.isBefore(expiresAt);
    Instant deadline = limitedByExpiry ? expiresAt : givesUpAt;

    Duration interval = authorization.interval();
    Duration wait = policy.padded(interval);
    int failures = 0;
    int attempt = 0;
    while (true) {
      cancellation.throwIfCancelled();
      Instant now = clock.instant();
      if (!now.plus(wait).isBefore(deadline)) {
        Duration rest = Duration.between(now, deadline);
        if (!rest.isNegative() && !rest.isZero()) {
          sleeper.sleep(rest, cancellation);
        }
        log.debug("no time left for another poll; giving up");
        throw limitedByExpiry
            ? ExpiredTokenException.detectedLocally(tokenEndpoint)
            : new PollingTimeoutException(policy.maximumWait());
      }
      sleeper.sleep(wait, cancellation);
      cancellation.throwIfCancelled();
      attempt++;

      HttpResult result;
      try {
        result = http.postForm(tokenEndpoint, pollForm(client, authorization), cancellation);
      } catch (TransportException e) {
        failures++;
        wait = policy.backoff(interval, failures);
        report(
            listener, attempt, PollOutcome.NETWORK_ERROR, interval, wait, deadline, e.getMessage());
        continue;
      }

      Optional<OAuthError> error =
          result
              .oauthError()
              .map(e -> e.redacting(authorization.deviceCode(), client.clientSecret().orElse(null)))
              .map(standardError);
      Optional<Duration> retryAfter = result.retryAfter(clock.instant());
      if (retryAfter.isPresent() && (result.status() == 429 || result.status() == 503)) {
        Duration padded = policy.padded(interval);
        wait = retryAfter.get().compareTo(padded) > 0 ? retryAfter.get() : padded;
        report(
            listener,
            attempt,
            PollOutcome.RATE_LIMITED,
            interval,
            wait,
            deadline,
            "HTTP " + result.status() + ", Retry-After " + retryAfter.get().toSeconds() + " s");
        continue;
      }
      if (result.status() >= 500 || result.status() == 429) {
        failures++;
        wait = policy.backoff(interval, failures);
        report(
            listener,
            attempt,
            PollOutcome.SERVER_ERROR,
            interval,
            wait,
            deadline,
            "HTTP " + result.status() + error.map(e -> " " + e.code()).orElse(""));
        continue;
      }
      failures = 0;
      if (error.isPresent()) {
        String code = error.get().code();
        if (OAuthError.AUTHORIZATION_PENDING.equals(code)) {
          wait = policy.padded(interval);
          report(listener, attempt, PollOutcome.PENDING, interval, wait, deadline, code);
          continue;
        }
        if (OAuthError.SLOW_DOWN.equals(code)) {
          Duration slower = interval.plus(PollingPolicy.SLOW_DOWN_INCREMENT);
          Optional<Duration> asked = serverInterval(result);
          if (asked.isPresent() && asked.get().compareTo(slower) > 0) {
            slower = asked.get();
          }
          listener.intervalChanged(interval, slower);
          log.debug("slow_down: interval {} s -> {} s", interval.toSeconds(), slower.toSeconds());
          interval = slower;
          wait = policy.padded(interval);
          report(listener, attempt, PollOutcome.SLOW_DOWN, interval, wait, deadline, code);
          continue;
        }
        PollOutcome outcome =
            error.get().isAccessDenied()
                ? PollOutcome.DENIED
                : error.get().isExpiredToken() ? PollOutcome.EXPIRED : PollOutcome.FAILED;
        report(listener, attempt, outcome, interval, Duration.ZERO, deadline, code);
        throw OAuthErrorException.of(error.get(), result.status(), tokenEndpoint);
      }

      TokenSet tokens;
      try {
        tokens = result.expectTokens(clock.instant(), authorization.requestedScope());
      } catch (InvalidResponseException e) {
        report(
            listener,
            attempt,
            PollOutcome.FAILED,
            interval,
            Duration.ZERO,
            deadline,
            e.getMessage());
        throw e;
      }
      report(listener, attempt, PollOutcome.APPROVED, interval, Duration.ZERO, deadline, null);
      return tokens;
    }
  }

  private static Form pollForm(ClientIdentity client, DeviceAuthorization authorization) {
    return client.authenticate(new TokenRequest.DeviceCode(authorization.deviceCode()).toForm());
  }

  private static Optional<Duration> serverInterval(HttpResult result) {
    Optional<ObjectNode> json = result.jsonObject();
    if (json.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Json.optionalSeconds(json.get(), "interval");
    } catch (MalformedMessageException e) {
      return Optional.empty();
    }
  }

  private void report(
      LoginListener listener,
      int attempt,
      PollOutcome outcome,
      Duration interval,
      Duration next,
      Instant deadline,
      String detail) {
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative()) {
      left = Duration.ZERO;
    }
    log.debug(
        "poll {}: {} (interval {} s, next in {} ms, {} s left)",
        attempt,
        outcome,
        interval.toSeconds(),
        next.toMillis(),
        left.toSeconds());
    listener.polled(
        new PollEvent(attempt, outcome, interval, next, left, Optional.ofNullable(detail)));
  }
}
