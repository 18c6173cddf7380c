package io.devicelogin.server.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.testing.Backend;
import io.devicelogin.server.testing.FreshDatabase;
import io.devicelogin.server.testing.StartingGate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rules of {@link PollClock} wherever the clock lives: in memory (the server's on H2), and in
 * the code's row (the server's on PostgreSQL, tested on both databases), on rows written here
 * directly. A clock in the database is shared by every clock on that database, as by several
 * instances, judges polls that race one after the other, and gives the verdicts the one in memory
 * gives.
 */
@ParameterizedClass
@EnumSource(PollClockTest.Kept.class)
class PollClockTest {
  /** Where the clock is kept. */
  enum Kept {
    IN_MEMORY,
    IN_H2,
    IN_POSTGRES
  }

  private static final String CLIENT = "cli";
  private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");

  @Parameter Kept kept;

  private FreshDatabase database;
  private Jdbc jdbc;

  /**
   * Another clock as another instance would have: in the database, its own pool on the same one.
   */
  private Supplier<PollClock> another;

  private PollClock clock;
  private int codes;

  @BeforeEach
  void newClock() {
    database = FreshDatabase.create(kept == Kept.IN_POSTGRES ? Backend.POSTGRES : Backend.H2);
    jdbc = database.jdbc();
    another =
        kept == Kept.IN_MEMORY
            ? () -> new InMemoryPollClock(jdbc)
            : () -> new DatabasePollClock(new Jdbc(database.open().dataSource()));
    clock = another.get();
  }

  @AfterEach
  void closeDatabase() {
    database.close();
  }

  /**
   * A pending code of {@link #CLIENT} issued at {@link #ISSUED} with this interval; returns its
   * hash.
   */
  private String pendingCode(int intervalSeconds) {
    String hash = String.format("%064d", ++codes);
    jdbc.update(
        "INSERT INTO device_authorizations (id, device_code_hash, user_code, live_user_code, client_id,"
            + " scope, status, interval_seconds, created_at, expires_at) VALUES (?, ?, ?, ?, ?, 'openid', 'PENDING', ?,"
            + " ?, ?)",
        "id-" + codes,
        hash,
        "BCDFGHJK",
        null,
        CLIENT,
        intervalSeconds,
        ISSUED,
        ISSUED.plusSeconds(600));
    return hash;
  }

  private static Instant at(long millis) {
    return ISSUED.plusMillis(millis);
  }

  private static Optional<PollClock.Verdict> onTime(long intervalSeconds) {
    return Optional.of(new PollClock.Verdict(false, Duration.ofSeconds(intervalSeconds)));
  }

  private static Optional<PollClock.Verdict> tooEarly(long intervalSeconds) {
    return Optional.of(new PollClock.Verdict(true, Duration.ofSeconds(intervalSeconds)));
  }

  @Test
  void theFirstPollIsOnTimeEvenAtTheInstantOfIssue() {
    String code = pendingCode(5);
    assertThat(clock.pollIfPending(code, CLIENT, ISSUED)).isEqualTo(onTime(5));
  }

  @Test
  void aPollSoonerThanNinetyPercentOfTheIntervalIsTooEarlyAndTheIntervalGrowsByFiveSeconds() {
    String code = pendingCode(5);
    assertThat(clock.pollIfPending(code, CLIENT, at(0))).isEqualTo(onTime(5));
    assertThat(clock.pollIfPending(code, CLIENT, at(2_000))).isEqualTo(tooEarly(10));
    assertThat(clock.pollIfPending(code, CLIENT, at(8_000)))
        .as("9 s of 10 s needed")
        .isEqualTo(tooEarly(15));
    assertThat(clock.pollIfPending(code, CLIENT, at(13_500)))
        .as("90 % of 15 s")
        .isEqualTo(onTime(15));
    assertThat(clock.pollIfPending(code, CLIENT, at(26_500))).isEqualTo(tooEarly(20));
  }

  @Test
  void aPollAtNinetyPercentOfTheIntervalIsOnTimeAndOneMillisecondSoonerIsNot() {
    String early = pendingCode(5);
    String onTime = pendingCode(5);
    clock.pollIfPending(early, CLIENT, at(0));
    clock.pollIfPending(onTime, CLIENT, at(0));
    assertThat(clock.pollIfPending(early, CLIENT, at(4_499))).isEqualTo(tooEarly(10));
    assertThat(clock.pollIfPending(onTime, CLIENT, at(4_500))).isEqualTo(onTime(5));
  }

  @Test
  void aPollThatIsTooEarlyDoesNotMoveTheTimeTheNextIsMeasuredFrom() {
    String code = pendingCode(5);
    clock.pollIfPending(code, CLIENT, at(0));
    assertThat(clock.pollIfPending(code, CLIENT, at(4_000))).isEqualTo(tooEarly(10));
    assertThat(clock.pollIfPending(code, CLIENT, at(9_000)))
        .as("9 s after the accepted poll, 5 s after the other")
        .isEqualTo(onTime(10));
  }

  @Test
  void onlyACodePendingForThisClientIsJudged() {
    String code = pendingCode(5);
    assertThat(clock.pollIfPending(code, "another-cli", at(0))).as("another client").isEmpty();
    assertThat(clock.pollIfPending(String.format("%064d", 999), CLIENT, at(0)))
        .as("unknown")
        .isEmpty();
    assertThat(clock.pollIfPending(code, CLIENT, at(600_000))).as("expired").isEmpty();
    String approved = pendingCode(5);
    jdbc.update(
        "UPDATE device_authorizations SET status = 'APPROVED' WHERE device_code_hash = ?",
        approved);
    assertThat(clock.pollIfPending(approved, CLIENT, at(0))).as("approved").isEmpty();
    assertThat(clock.pollIfPending(code, CLIENT, at(0)))
        .as("none of those was its first poll")
        .isEqualTo(onTime(5));
  }

  @Test
  void aClockInTheDatabaseIsSharedByEveryClockOnThatDatabase() {
    assumeTrue(kept != Kept.IN_MEMORY, "memory is one process's");
    PollClock other = another.get();
    String code = pendingCode(5);
    assertThat(clock.pollIfPending(code, CLIENT, at(0))).isEqualTo(onTime(5));
    assertThat(other.pollIfPending(code, CLIENT, at(0)))
        .as("at once, on the other")
        .isEqualTo(tooEarly(10));
    assertThat(clock.pollIfPending(code, CLIENT, at(8_999)))
        .as("the other's slow_down holds here")
        .isEqualTo(tooEarly(15));
    assertThat(other.pollIfPending(code, CLIENT, at(13_500))).isEqualTo(onTime(15));
  }

  @Test
  void aClockInTheDatabaseLeavesTheIssuedIntervalAsIssued() {
    assumeTrue(kept != Kept.IN_MEMORY, "memory writes nothing");
    String code = pendingCode(5);
    clock.pollIfPending(code, CLIENT, at(0));
    clock.pollIfPending(code, CLIENT, at(1_000));
    assertThat(
            jdbc.queryOne(
                "SELECT interval_seconds, poll_interval_seconds, last_poll_ms, last_poll_too_early"
                    + " FROM device_authorizations WHERE device_code_hash = ?",
                r -> r.getInt(1) + " " + r.getInt(2) + " " + r.getLong(3) + " " + r.getBoolean(4),
                code))
        .contains("5 10 " + ISSUED.toEpochMilli() + " true");
  }

  @Test
  void ofPollsOfOneCodeAtTheSameMomentExactlyOneIsOnTime() throws Exception {
    List<PollClock> clocks =
        kept == Kept.IN_MEMORY ? List.of(clock) : List.of(clock, another.get());
    for (int round = 0; round < 5; round++) {
      String code = pendingCode(5);
      int polls = 16;
      List<PollClock.Verdict> verdicts = race(clocks, polls, code, at(0));
      assertThat(verdicts).as("round %d", round).filteredOn(v -> !v.tooEarly()).hasSize(1);
      // Each too-early poll saw the one before it: the intervals are 10 s, 15 s, … one each.
      assertThat(
              verdicts.stream()
                  .filter(PollClock.Verdict::tooEarly)
                  .map(v -> v.interval().toSeconds())
                  .sorted())
          .as("round %d", round)
          .containsExactlyElementsOf(
              LongStream.rangeClosed(2, polls).map(n -> 5 * n).boxed().toList());
    }
  }

  @Test
  void aClockInTheDatabaseGivesTheVerdictsOfTheOneInMemory() {
    assumeTrue(kept != Kept.IN_MEMORY, "the one in memory is the reference");
    InMemoryPollClock reference = new InMemoryPollClock(jdbc);
    Random random = new Random(8628);
    for (int c = 0; c < 5; c++) {
      String code = pendingCode(1 + random.nextInt(10));
      long t = 0;
      for (int poll = 0; poll < 40; poll++) { // at most 480 s: before the code expires
        t += random.nextInt(random.nextBoolean() ? 2_000 : 12_000);
        Instant now = at(t);
        Optional<PollClock.Verdict> expected = reference.pollIfPending(code, CLIENT, now);
        assertThat(clock.pollIfPending(code, CLIENT, now))
            .as("code %d, poll %d at %d ms", c, poll, t)
            .isEqualTo(expected);
      }
    }
  }

  /** {@code polls} threads, spread over {@code clocks}, poll one code at one instant at once. */
  private static List<PollClock.Verdict> race(
      List<PollClock> clocks, int polls, String code, Instant now) {
    try (StartingGate gate = new StartingGate(polls)) {
      return gate.releaseEach(
          i -> clocks.get(i % clocks.size()).pollIfPending(code, CLIENT, now).orElseThrow());
    }
  }
}
