package io.devicelogin.bench.jmh;

import io.devicelogin.client.Secret;
import io.devicelogin.client.wire.Json;
import io.devicelogin.client.wire.OAuthError;
import io.devicelogin.client.wire.TokenResponse;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.protocol.OAuthProblem;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The JSON the token endpoint answers, written as {@code OAuthResponses.json} writes it: the wire
 * type's {@code toJson()}, then {@link Json#write}. Most polls are answered {@code
 * authorization_pending}; one per login gets the tokens.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ResponseJsonBenchmarks {
  private final SecureRandom random = new SecureRandom();

  /** The size of an ES256 access token with the server's claims (about 560 characters). */
  private final TokenResponse tokens =
      new TokenResponse(
          Secret.of("eyJ" + "x".repeat(557)),
          "Bearer",
          Duration.ofMinutes(10),
          Hashing.newSecret(random),
          // Qualified: JMH's @Scope has the name here.
          io.devicelogin.client.wire.Scope.of("openid", "profile", "offline_access"),
          null,
          Map.of());

  private final OAuthError pending =
      new OAuthError(OAuthError.AUTHORIZATION_PENDING, "the person has not answered yet", null);

  @Benchmark
  public String tokenResponse() {
    return Json.write(tokens.toJson());
  }

  @Benchmark
  public String oauthError() {
    return Json.write(pending.toJson());
  }

  /**
   * What the server does for each pending poll: the problem, its JSON (description filtered),
   * written.
   */
  @Benchmark
  public String pendingAsTheServerAnswersIt() {
    return Json.write(OAuthProblem.pending().toJson());
  }
}
