package io.devicelogin.bench.jmh;

import io.devicelogin.client.Secret;
import io.devicelogin.server.identity.PasswordHasher;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * For scale: one sign-in's password check, Argon2id at the server's cost (19 MiB, 2 passes, 1
 * lane), which is what every sign-in costs, known user or not.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PasswordBenchmarks {
  private final PasswordHasher hasher = new PasswordHasher(new SecureRandom());
  private final Secret password = Secret.of("correct horse battery staple");
  private final String hash = hasher.hash(password);

  @Benchmark
  public boolean argon2idVerify() {
    return hasher.verify(password, hash);
  }
}
