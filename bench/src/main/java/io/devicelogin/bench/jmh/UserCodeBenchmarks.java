package io.devicelogin.bench.jmh;

import io.devicelogin.server.device.UserCodeGenerator;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * User codes as {@code POST /oauth2/device_authorization} makes them and the verification page
 * reads them: a new code from a {@link SecureRandom} made as the server makes its own, the code
 * shown with its dash, and what a person typed brought back to the code.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class UserCodeBenchmarks {
  private final UserCodeGenerator generator = new UserCodeGenerator(new SecureRandom());
  private final String code = generator.next();

  /** As a person might type it: lower case, a space instead of the dash. */
  private final String typed = UserCodeGenerator.display(code).toLowerCase().replace('-', ' ');

  @Benchmark
  public String next() {
    return generator.next();
  }

  @Benchmark
  public String display() {
    return UserCodeGenerator.display(code);
  }

  @Benchmark
  public Optional<String> normalise() {
    return UserCodeGenerator.normalise(typed);
  }
}
