package io.devicelogin.server;

import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.device.DatabasePollClock;
import io.devicelogin.server.device.InMemoryPollClock;
import io.devicelogin.server.device.PollClock;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.policy.ClientRegistry;
import io.devicelogin.server.policy.DatabaseRateLimiter;
import io.devicelogin.server.policy.InMemoryRateLimiter;
import io.devicelogin.server.policy.RateLimiter;
import io.devicelogin.server.store.Database;
import io.devicelogin.server.store.Jdbc;
import java.time.Clock;
import java.time.Duration;

/**
 * What must hold across instances, kept where they all see it: the rate limits and the poll clock.
 * Several instances share only a PostgreSQL (an H2 file opens in one process): there, both are kept
 * in the database, at a write per accepted request and per pending poll, so that they hold for all
 * instances together. On H2 there is one process, for which memory is exact, and a pending poll
 * writes nothing.
 */
record AcrossInstances(RateLimiter limiter, PollClock pollClock) {
  private static final Duration RATE_LIMIT_WINDOW = Duration.ofMinutes(1);

  static AcrossInstances of(Database database, Jdbc jdbc, ClientRegistry clients, Clock clock) {
    if (database.isPostgres()) {
      Jdbc asynchronous = new Jdbc(database.asynchronousCommits());
      return new AcrossInstances(
          new DatabaseRateLimiter(asynchronous, clock, RATE_LIMIT_WINDOW),
          new DatabasePollClock(asynchronous, Defaults.POLL_GRACE));
    }
    Duration longest =
        clients.all().stream()
            .map(ClientPolicy::deviceCodeLifetime)
            .max(Duration::compareTo)
            .orElse(Defaults.DEVICE_CODE_LIFETIME);
    return new AcrossInstances(
        new InMemoryRateLimiter(clock, RATE_LIMIT_WINDOW),
        new InMemoryPollClock(jdbc, longest, Defaults.POLL_GRACE));
  }
}
