package io.devicelogin.server.config;

import java.time.Duration;

/**
 * How long browser sessions of the pages live, from the configuration file's {@code sessions}
 * (absent members take {@link Defaults}).
 *
 * @param lifetime a session ends this long after sign-in (or after its first form post)
 * @param idleTimeout a session unused this long ends sooner; a form's token lives as long
 */
public record SessionSettings(Duration lifetime, Duration idleTimeout) {
  public static final SessionSettings DEFAULTS =
      new SessionSettings(Defaults.BROWSER_SESSION_LIFETIME, Defaults.BROWSER_SESSION_IDLE_TIMEOUT);

  public SessionSettings {
    if (lifetime.isNegative()
        || lifetime.isZero()
        || idleTimeout.compareTo(Defaults.BROWSER_SESSION_SEEN_EVERY) < 0
        || idleTimeout.compareTo(lifetime) > 0) {
      throw new IllegalArgumentException(
          "idle_timeout must be at least "
              + Defaults.BROWSER_SESSION_SEEN_EVERY.toMinutes()
              + " minute and no longer than lifetime");
    }
  }
}
