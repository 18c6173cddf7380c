package io.devicelogin.client.flow;

import java.time.Duration;
import java.util.Optional;

/**
 * One poll and what follows it, for a progress display.
 *
 * @param attempt 1 for the first poll
 * @param outcome what the poll came to
 * @param interval the polling interval now in force
 * @param nextPollIn the wait before the next poll; zero when polling has ended
 * @param timeLeft the time until the hard timeout
 * @param detail the error code or failure, for display; never a secret
 */
public record PollEvent(
    int attempt,
    PollOutcome outcome,
    Duration interval,
    Duration nextPollIn,
    Duration timeLeft,
    Optional<String> detail) {}
