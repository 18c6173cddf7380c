package io.devicelogin.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.testing.StartingGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * At most a few password hashes run at once, because each holds its 19 MiB until it ends; a hash
 * that finds every slot taken is refused after a bounded wait, with when to try again.
 */
class HashingSlotsTest {

  @Test
  void aHashFindingEverySlotTakenIsRefusedAsTemporarilyUnavailableWithRetryAfterAndNeverRuns()
      throws Exception {
    HashingSlots slots = new HashingSlots(2, Duration.ofMillis(50));
    CountDownLatch running = new CountDownLatch(2);
    CountDownLatch finish = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<String>> held = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        held.add(pool.submit(() -> slots.run(() -> holdUntil(running, finish))));
      }
      assertThat(running.await(30, TimeUnit.SECONDS)).as("both slots taken").isTrue();

      AtomicBoolean ran = new AtomicBoolean();
      assertThatThrownBy(() -> slots.run(() -> ran.getAndSet(true)))
          .isInstanceOfSatisfying(
              OAuthProblem.class,
              p -> {
                assertThat(p.status()).isEqualTo(503);
                assertThat(p.code()).isEqualTo("temporarily_unavailable");
                assertThat(p.retryAfter()).hasValue(Duration.ofSeconds(1));
              });
      assertThat(ran).as("the refused hash never ran").isFalse();

      finish.countDown();
      for (Future<String> h : held) {
        assertThat(h.get(30, TimeUnit.SECONDS)).isEqualTo("done");
      }
      assertThat(slots.run(() -> "after")).as("freed slots take hashes again").isEqualTo("after");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aBurstOfHashesNeverHasMoreThanTheBoundRunningAtOnceAndEachRunsWhenASlotFrees() {
    HashingSlots slots = new HashingSlots(2, Duration.ofSeconds(30));
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    try (StartingGate gate = new StartingGate(16)) {
      List<Integer> done =
          gate.release(
              () ->
                  slots.run(
                      () -> {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        inside.decrementAndGet();
                        return 1;
                      }));
      assertThat(done).hasSize(16);
    }
    assertThat(most.get()).isBetween(1, 2);
  }

  @Test
  void aFailingHashGivesItsSlotBack() {
    HashingSlots slots = new HashingSlots(1, Duration.ZERO);
    assertThatThrownBy(
            () ->
                slots.run(
                    () -> {
                      throw new IllegalStateException("broken hash");
                    }))
        .hasMessage("broken hash");
    assertThat(slots.run(() -> "next")).isEqualTo("next");
  }

  @Test
  void theDefaultBoundIsAtMostOneHashPerProcessorAndAQuarterOfTheHeap() {
    long heapQuarter = Runtime.getRuntime().maxMemory() / 4;
    assertThat(HashingSlots.ofDefaults().size())
        .isEqualTo(Defaults.CONCURRENT_PASSWORD_HASHES)
        .isBetween(1, Runtime.getRuntime().availableProcessors());
    assertThat((long) Defaults.CONCURRENT_PASSWORD_HASHES * Defaults.PASSWORD_HASH_BYTES)
        .isLessThanOrEqualTo(Math.max(Defaults.PASSWORD_HASH_BYTES, heapQuarter));
  }

  private static String holdUntil(CountDownLatch running, CountDownLatch finish) {
    running.countDown();
    try {
      finish.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "done";
  }
}
