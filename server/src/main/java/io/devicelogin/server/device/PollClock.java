package io.devicelogin.server.device;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Answers the polls of codes that are still pending (RFC 8628 §3.5): {@code authorization_pending},
 * or {@code slow_down} with a longer interval.
 *
 * <p>The rules, the same wherever the clock lives: the first poll of a code is never too early; a
 * poll sooner than 90 % of the interval after the last accepted poll is too early, and the code's
 * interval grows by 5 s; a poll that is too early does not move the time the next one is measured
 * from.
 *
 * <p>Where a code's last poll and interval live is the server's choice, made in its wiring by the
 * database it runs on: on PostgreSQL, which several instances share, in the code's row ({@link
 * DatabasePollClock}), so that a client polling each instance in turn is held to one interval; on
 * H2, which only one process can open, in memory ({@link InMemoryPollClock}), so that a pending
 * poll writes nothing.
 */
public interface PollClock {
  /** What a poll is: on time, or too early (with the interval now in force). */
  record Verdict(boolean tooEarly, Duration interval) {}

  /**
   * Judges a poll at {@code now} of the code whose hash is {@code codeHash}, by {@code clientId},
   * if that code is pending for that client then. Empty if it is not (unknown, another client's,
   * decided, expired): the caller reads the code to say which.
   */
  Optional<Verdict> pollIfPending(String codeHash, String clientId, Instant now);

  /** Forgets a code that can no longer be polled. */
  void forget(String codeHash);
}
