package io.devicelogin.server.identity;

import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.protocol.OAuthProblem;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How many password hashes may run at once. Each Argon2id hash holds its memory (19 MiB by default)
 * until it ends, so without a bound a burst of sign-ins exhausts the heap. A hash that finds every
 * slot taken waits a short, bounded time and is then refused as {@code temporarily_unavailable}
 * with when to try again: a request is never queued without end.
 */
public final class HashingSlots {
  private final Semaphore slots;
  private final int size;
  private final Duration wait;

  /** {@code size} hashes at once; a hash waits at most {@code wait} for a slot. */
  public HashingSlots(int size, Duration wait) {
    if (size < 1) {
      throw new IllegalArgumentException("at least one hash must be able to run");
    }
    this.slots = new Semaphore(size, true);
    this.size = size;
    this.wait = wait;
  }

  /**
   * {@link Defaults#CONCURRENT_PASSWORD_HASHES}, each waited for {@link
   * Defaults#PASSWORD_HASH_WAIT}.
   */
  public static HashingSlots ofDefaults() {
    return new HashingSlots(Defaults.CONCURRENT_PASSWORD_HASHES, Defaults.PASSWORD_HASH_WAIT);
  }

  /**
   * Runs {@code hashing} in a slot.
   *
   * @throws OAuthProblem {@code temporarily_unavailable} (503) when no slot came free in time
   */
  public <T> T run(Supplier<T> hashing) {
    boolean acquired;
    try {
      acquired = slots.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      acquired = false;
    }
    if (!acquired) {
      throw OAuthProblem.temporarilyUnavailable(
          "the server is checking too many passwords at once; try again in a moment", retryAfter());
    }
    try {
      return hashing.get();
    } finally {
      slots.release();
    }
  }

  /** How many hashes may run at once. */
  public int size() {
    return size;
  }

  /** What a refusal tells the client to wait: the wait, and never less than a second. */
  private Duration retryAfter() {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    return Duration.ofSeconds(seconds);
  }
}
