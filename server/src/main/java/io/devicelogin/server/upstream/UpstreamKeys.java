package io.devicelogin.server.upstream;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import io.devicelogin.server.config.Defaults;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * An upstream's signing keys (its JWKS), fetched at first use and kept for {@link
 * Defaults#UPSTREAM_JWKS_LIFETIME}. A token whose key is not among them makes them be fetched again
 * once, at most every {@link Defaults#UPSTREAM_JWKS_REFETCH_EVERY} (a rotation is picked up; a
 * stream of tokens with made-up key ids is not a stream of fetches). Only public keys are kept.
 */
final class UpstreamKeys {
  /** Where the keys come from: the provider's {@code jwks_uri}, or a test's set. */
  @FunctionalInterface
  interface Source {
    JWKSet fetch() throws IOException;
  }

  private final Source source;
  private final Clock clock;
  private JWKSet keys;
  private Instant fetchedAt;

  UpstreamKeys(Source source, Clock clock) {
    this.source = source;
    this.clock = clock;
  }

  /**
   * The keys that may have signed a token with this header: of its {@code kid} (any when it names
   * none), of the algorithm's key type, meant for signatures. Empty when there are none even after
   * fetching the keys again.
   *
   * @throws IOException when the keys cannot be fetched
   */
  synchronized List<JWK> candidates(JWSHeader header) throws IOException {
    Instant now = clock.instant();
    if (keys == null || !now.isBefore(fetchedAt.plus(Defaults.UPSTREAM_JWKS_LIFETIME))) {
      fetch(now);
    }
    List<JWK> found = matching(header);
    if (found.isEmpty() && !now.isBefore(fetchedAt.plus(Defaults.UPSTREAM_JWKS_REFETCH_EVERY))) {
      fetch(now);
      found = matching(header);
    }
    return found;
  }

  private void fetch(Instant now) throws IOException {
    JWKSet fetched = source.fetch();
    keys = fetched.toPublicJWKSet();
    fetchedAt = now;
  }

  private List<JWK> matching(JWSHeader header) {
    KeyType type = KeyType.forAlgorithm(header.getAlgorithm());
    String kid = header.getKeyID();
    return keys.getKeys().stream()
        .filter(k -> kid == null || kid.equals(k.getKeyID()))
        .filter(k -> k.getKeyType().equals(type))
        .filter(k -> k.getKeyUse() == null || KeyUse.SIGNATURE.equals(k.getKeyUse()))
        .filter(
            k ->
                k.getAlgorithm() == null
                    || JWSAlgorithm.parse(k.getAlgorithm().getName()).equals(header.getAlgorithm()))
        .toList();
  }
}
