package io.devicelogin.bench.jmh;

import io.devicelogin.client.Secret;
import io.devicelogin.server.crypto.Hashing;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Device codes and refresh tokens: each poll of the token endpoint hashes the presented device code
 * to find its row; each new authorization or refresh makes a 256-bit secret.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HashingBenchmarks {
  private final SecureRandom random = new SecureRandom();
  private final Secret deviceCode = Hashing.newSecret(random);

  @Benchmark
  public String sha256OfDeviceCode() {
    return Hashing.sha256(deviceCode);
  }

  @Benchmark
  public Secret newSecret() {
    return Hashing.newSecret(random);
  }
}
