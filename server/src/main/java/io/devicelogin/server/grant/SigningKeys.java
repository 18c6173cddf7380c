package io.devicelogin.server.grant;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.devicelogin.server.store.Jdbc;
import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The ES256 keys access tokens are signed with, persisted so that tokens survive a restart and
 * shared through the database so that every instance signs and verifies alike.
 */
public final class SigningKeys {
  private final List<ECKey> keys;
  private final ECKey active;

  private SigningKeys(List<ECKey> keys) {
    this.keys = List.copyOf(keys);
    this.active = keys.get(0);
  }

  /** Loads the keys, creating the first one if there is none. */
  public static SigningKeys loadOrCreate(Jdbc jdbc, Clock clock) {
    List<ECKey> keys = load(jdbc);
    if (keys.isEmpty()) {
      try {
        ECKey key = new ECKeyGenerator(Curve.P_256)
            .keyUse(KeyUse.SIGNATURE)
            .algorithm(com.nimbusds.jose.JWSAlgorithm.ES256)
            .keyID(UUID.randomUUID().toString())
            .generate();
        jdbc.update("INSERT INTO signing_keys (kid, jwk, created_at, active) VALUES (?, ?, ?, TRUE)",
            key.getKeyID(), key.toJSONString(), clock.instant());
      } catch (JOSEException e) {
        throw new IllegalStateException("cannot generate a signing key", e);
      } catch (RuntimeException e) {
        // Another instance created the first key at the same moment: use theirs.
      }
      keys = load(jdbc);
    }
    return new SigningKeys(keys);
  }

  private static List<ECKey> load(Jdbc jdbc) {
    return jdbc.query("SELECT jwk FROM signing_keys WHERE active = TRUE ORDER BY created_at, kid",
        r -> {
          try {
            return ECKey.parse(r.getString(1));
          } catch (ParseException e) {
            throw new IllegalStateException("a stored signing key is corrupt", e);
          }
        });
  }

  /** The key new tokens are signed with. */
  public ECKey active() {
    return active;
  }

  public List<ECKey> all() {
    return keys;
  }

  /** The public keys, as {@code /jwks} publishes them. */
  public JWKSet publicSet() {
    return new JWKSet(keys.stream().map(ECKey::toPublicJWK).collect(Collectors.toList()));
  }
}
