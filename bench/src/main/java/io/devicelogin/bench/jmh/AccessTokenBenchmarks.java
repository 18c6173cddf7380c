package io.devicelogin.bench.jmh;

import io.devicelogin.client.Secret;
import io.devicelogin.server.grant.AccessTokenClaims;
import io.devicelogin.server.grant.AccessTokens;
import io.devicelogin.server.grant.SigningKeys;
import io.devicelogin.server.policy.ClientRegistry;
import io.devicelogin.server.store.Database;
import io.devicelogin.server.store.Grant;
import io.devicelogin.server.store.Jdbc;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * RFC 9068 access tokens, ES256 with nimbus-jose-jwt.
 *
 * <p>Signing: {@link #sign} calls {@link AccessTokens#sign} as token issuance does, for one grant,
 * with the server's own key: made by {@link SigningKeys#loadOrCreate} on an in-memory H2 database,
 * as at the server's first start.
 *
 * <p>Verifying: {@link AccessTokens#verify} consults no database (the client's lifetime comes from
 * the registry in memory), so {@link #verify} calls it as introspection, userinfo and revocation
 * do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AccessTokenBenchmarks {
  private static final String ISSUER = "http://localhost:8080";
  private static final Duration LIFETIME = Duration.ofMinutes(10);

  /** An approved grant, as the store gives it to token issuance. */
  private static final Grant GRANT =
      new Grant(
          "0b9e4d2c-7a1f-4e8b-b3c6-5d2a9f8e7c10",
          "6f1c2a8e-3b7d-4c55-9a0e-2d4b8f7c1e90",
          "devicelogin-cli",
          io.devicelogin.client.wire.Scope.of("openid", "profile", "offline_access"),
          true,
          null,
          Instant.EPOCH,
          "127.0.0.1",
          null,
          Instant.EPOCH,
          "127.0.0.1",
          null,
          null,
          null,
          null,
          null,
          null);

  private final Clock clock = Clock.systemUTC();
  private Database database;
  private AccessTokens tokens;
  private Secret token;

  @Setup(Level.Trial)
  public void keys() {
    database = Database.h2InMemory("bench-jwt-" + UUID.randomUUID());
    Jdbc jdbc = new Jdbc(database.dataSource());
    SigningKeys keys = SigningKeys.loadOrCreate(jdbc, clock);
    // The demo client, whose access tokens live LIFETIME: verification checks the token's against
    // it.
    tokens =
        new AccessTokens(
            keys,
            new ClientRegistry(List.of(ClientRegistry.demoClient()), Map.of()),
            clock,
            ISSUER);
    token = sign();
    if (tokens.verify(token).isEmpty()) {
      throw new IllegalStateException("the server does not accept the token signed here");
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    database.close();
  }

  @Benchmark
  public Secret sign() {
    return tokens.sign(GRANT, GRANT.clientId(), GRANT.scope(), clock.instant(), LIFETIME);
  }

  @Benchmark
  public Optional<AccessTokenClaims> verify() {
    return tokens.verify(token);
  }
}
