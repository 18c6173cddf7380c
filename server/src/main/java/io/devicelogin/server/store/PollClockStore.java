package io.devicelogin.server.store;

import java.time.Instant;
import java.util.Optional;

/**
 * What a poll clock reads and writes of a pending code's row in {@code device_authorizations}: its
 * issued interval, and (for the clock kept in the database) its last accepted poll ({@code
 * last_poll_ms}), its current interval ({@code poll_interval_seconds}) and the verdict on its
 * latest poll ({@code last_poll_too_early}).
 */
public final class PollClockStore {
  /** The code's issued interval, if it is pending for this client now. */
  private static final String PENDING_INTERVAL =
      "SELECT interval_seconds FROM device_authorizations"
          + " WHERE device_code_hash = ? AND client_id = ? AND status = 'PENDING' AND expires_at > ?";

  /** Whether a poll at the bound epoch millisecond comes sooner than the share of the interval. */
  private static final String TOO_EARLY =
      "(last_poll_ms IS NOT NULL"
          + " AND ? - last_poll_ms < COALESCE(poll_interval_seconds, interval_seconds) * ?)";

  /**
   * The rules of a poll clock, all reading the row as it was: too early grows the interval and
   * leaves the last accepted poll; on time moves it to now.
   */
  private static final String POLL =
      "UPDATE device_authorizations SET"
          + " last_poll_too_early = "
          + TOO_EARLY
          + ","
          + " poll_interval_seconds = COALESCE(poll_interval_seconds, interval_seconds)"
          + " + CASE WHEN "
          + TOO_EARLY
          + " THEN ? ELSE 0 END,"
          + " last_poll_ms = CASE WHEN "
          + TOO_EARLY
          + " THEN last_poll_ms ELSE ? END"
          + " WHERE device_code_hash = ? AND client_id = ? AND status = 'PENDING' AND expires_at > ?";

  private static final String[] VERDICT = {"last_poll_too_early", "poll_interval_seconds"};

  /** A poll as the row judged it: too early or not, and the interval now in force. */
  public record Judged(boolean tooEarly, int intervalSeconds) {}

  private final Jdbc jdbc;

  /**
   * @param jdbc for {@link #judge}, on the pool for asynchronous commits as a rule
   */
  public PollClockStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** The issued interval, in seconds, of a code pending for {@code clientId} at {@code now}. */
  public Optional<Integer> pendingInterval(String codeHash, String clientId, Instant now) {
    return jdbc.queryOne(PENDING_INTERVAL, r -> r.getInt(1), codeHash, clientId, now);
  }

  /**
   * Judges and records a poll at {@code now} of a code pending for {@code clientId}, in one
   * conditional {@code UPDATE} committed by itself, and reads the verdict back from that statement.
   * Empty if the code is not pending for that client then.
   *
   * @param minimumMillisPerSecond the least time between accepted polls, per second of interval
   * @param slowDownSeconds how much a poll that is too early adds to the interval
   */
  public Optional<Judged> judge(
      String codeHash,
      String clientId,
      Instant now,
      long minimumMillisPerSecond,
      int slowDownSeconds) {
    long nowMillis = now.toEpochMilli();
    Long minimum = minimumMillisPerSecond;
    return jdbc.updateReturning(
        POLL,
        VERDICT,
        r -> new Judged(r.getBoolean(1), r.getInt(2)),
        nowMillis,
        minimum,
        nowMillis,
        minimum,
        slowDownSeconds,
        nowMillis,
        minimum,
        nowMillis,
        codeHash,
        clientId,
        now);
  }
}
