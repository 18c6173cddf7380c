package io.devicelogin.server.identity;

import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.store.AuditEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A limit per account that slows rather than locks. After {@code free} failed sign-ins of an
 * account within the window, its next sign-in is considered only once a delay has passed since the
 * latest failure; the delay doubles with each further failure, up to {@code longest}. So guessing
 * one account's password from many sessions and addresses is slowed, while its owner is never kept
 * out longer than {@code longest} by someone typing wrong passwords for them.
 *
 * <p>Failures are the {@code SIGN_IN_FAILED} events of the audit trail, so the delay holds across
 * instances and restarts.
 */
public final class SignInDelay {
  private final AuditLog audit;
  private final Clock clock;
  private final int free;
  private final Duration first;
  private final Duration longest;
  private final Duration window;

  public SignInDelay(
      AuditLog audit, Clock clock, int free, Duration first, Duration longest, Duration window) {
    this.audit = audit;
    this.clock = clock;
    this.free = free;
    this.first = first;
    this.longest = longest;
    this.window = window;
  }

  /** The delays of {@link Defaults}, counted within {@link Defaults#SIGN_IN_WINDOW}. */
  public static SignInDelay ofDefaults(AuditLog audit, Clock clock) {
    return new SignInDelay(
        audit,
        clock,
        Defaults.ACCOUNT_FAILURES_BEFORE_DELAY,
        Defaults.ACCOUNT_FIRST_DELAY,
        Defaults.ACCOUNT_LONGEST_DELAY,
        Defaults.SIGN_IN_WINDOW);
  }

  /**
   * Refuses a sign-in of the account {@code userId} that comes before its delay has passed.
   *
   * @throws OAuthProblem {@code too_many_requests} (429) with when to try again
   */
  public void check(String userId) {
    Optional<Instant> notBefore = notBefore(userId);
    Instant now = clock.instant();
    if (notBefore.isPresent() && now.isBefore(notBefore.get())) {
      Duration wait = Duration.between(now, notBefore.get());
      throw OAuthProblem.tooManyRequests(
          "this account had too many failed sign-ins; its next sign-in waits a while",
          Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000)));
    }
  }

  /**
   * When the account's next sign-in will be considered, if it has to wait. Failures before an
   * administrator unlocked the account ({@code ACCOUNT_UNLOCKED}) no longer count.
   */
  Optional<Instant> notBefore(String userId) {
    Instant windowStart = clock.instant().minus(window);
    Instant since =
        audit
            .newestByUser(AuditEvent.Type.ACCOUNT_UNLOCKED, userId, windowStart)
            .orElse(windowStart);
    long failures = audit.countByUser(AuditEvent.Type.SIGN_IN_FAILED, userId, since);
    if (failures < free) {
      return Optional.empty();
    }
    return audit
        .newestByUser(AuditEvent.Type.SIGN_IN_FAILED, userId, since)
        .map(latest -> latest.plus(delayAfter(failures)));
  }

  /**
   * {@code first}, doubled for each failure past the free ones, and never above {@code longest}.
   */
  Duration delayAfter(long failures) {
    long doublings = Math.min(failures - free, 30);
    Duration delay = first.multipliedBy(1L << doublings);
    return delay.compareTo(longest) > 0 ? longest : delay;
  }
}
