package io.devicelogin.bench.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The timing: every variant runs once per round, in a rotating order, so that a machine that gets
 * busier or quieter during the run affects them alike; the first rounds warm up and are not kept.
 */
final class RotatingRounds {
  static final int WARM_UP_ROUNDS = 2;

  private RotatingRounds() {}

  /** Runs the rounds; returns the wall times in milliseconds, [variant][round]. */
  static long[][] time(LoggedInCommand command, List<Variant> variants, int repetitions)
      throws IOException, InterruptedException {
    int n = variants.size();
    long[][] millis = new long[n][repetitions];
    Path stderr = command.scratch().resolve("stderr.txt");
    for (int round = -WARM_UP_ROUNDS; round < repetitions; round++) {
      for (int k = 0; k < n; k++) {
        // Rotate who goes first, so that no variant always follows the same one.
        int v = Math.floorMod(round + k, n);
        Variant variant = variants.get(v);
        ProcessBuilder builder = command.processBuilder(variant.command());
        builder.environment().putAll(variant.env());
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.redirectError(stderr.toFile());
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          throw new IllegalStateException(variant.label() + " did not finish within 2 minutes");
        }
        long elapsed = System.nanoTime() - start;
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              variant.label()
                  + " exited with "
                  + process.exitValue()
                  + ":\n"
                  + Files.readString(stderr, StandardCharsets.UTF_8));
        }
        if (round >= 0) {
          millis[v][round] = TimeUnit.NANOSECONDS.toMillis(elapsed);
        }
      }
    }
    return millis;
  }
}
