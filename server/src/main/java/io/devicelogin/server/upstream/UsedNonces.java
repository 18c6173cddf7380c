package io.devicelogin.server.upstream;

import io.devicelogin.server.crypto.Hashing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ID token nonces this instance has accepted, each until its sign-in could no longer end: a
 * nonce is used once. Kept in memory: the flow cookie a nonce comes from is cleared at its
 * callback, and the code with it can be redeemed at the provider only once, so this is the last of
 * three locks, not the only one.
 */
final class UsedNonces {
  private static final int SWEEP_ABOVE = 1000;

  private final Clock clock;
  private final Duration keep;
  private final Map<String, Instant> used = new ConcurrentHashMap<>();

  UsedNonces(Clock clock, Duration keep) {
    this.clock = clock;
    this.keep = keep;
  }

  /** Records the nonce; false if it was used before. */
  boolean firstUse(String nonce) {
    Instant now = clock.instant();
    if (used.size() > SWEEP_ABOVE) {
      used.values().removeIf(until -> until.isBefore(now));
    }
    Instant before = used.putIfAbsent(Hashing.sha256(nonce), now.plus(keep));
    return before == null
        || before.isBefore(now) && used.replace(Hashing.sha256(nonce), before, now.plus(keep));
  }
}
