package io.devicelogin.server.store;

import java.util.Optional;

/**
 * The rows of {@code rate_limit_windows}: how many requests a key's window has accepted. Each
 * statement commits by itself, on whichever pool the caller chose (the one for asynchronous
 * commits, as a rule).
 */
public final class RateLimitStore {
  /**
   * The longest key the table holds. The endpoint's keys (an address, a client id) are far shorter.
   */
  public static final int LONGEST_KEY = 200;

  private static final String COUNT =
      "UPDATE rate_limit_windows SET hits = hits + 1 WHERE limit_key = ? AND window_slot = ? AND hits < ?";
  private static final String HITS =
      "SELECT hits FROM rate_limit_windows WHERE limit_key = ? AND window_slot = ?";
  private static final String OPEN =
      "INSERT INTO rate_limit_windows (limit_key, window_slot, hits) VALUES (?, ?, 1)";
  private static final String SWEEP = "DELETE FROM rate_limit_windows WHERE window_slot < ?";

  private final Jdbc jdbc;

  public RateLimitStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Counts one more request in the window's row if it has accepted fewer than {@code limit}: a
   * conditional update, which the database judges on the latest count under the row's lock. False
   * if the window is full or has no row yet.
   */
  public boolean countIfBelow(String key, long slot, int limit) {
    return jdbc.update(COUNT, key, slot, limit) == 1;
  }

  /** How many requests the window has accepted; empty if it has no row yet. */
  public Optional<Integer> hits(String key, long slot) {
    return jdbc.queryOne(HITS, r -> r.getInt(1), key, slot);
  }

  /**
   * Opens the window's row with its first request; false if another request opened it first (the
   * unique key refused this one).
   */
  public boolean open(String key, long slot) {
    try {
      jdbc.update(OPEN, key, slot);
      return true;
    } catch (StoreException e) {
      if (!e.isUniqueViolation()) {
        throw e;
      }
      return false;
    }
  }

  /** Deletes every window before {@code slot}. */
  public void deleteBefore(long slot) {
    jdbc.update(SWEEP, slot);
  }
}
