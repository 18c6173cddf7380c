package io.devicelogin.server.grant;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.store.SigningKeyStore;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
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

  /**
   * Loads the keys, creating the first one if there is none. Instances that start together on an
   * empty database all get the same key: the first key's place in the sequence ({@code generation}
   * 1) is unique, so only one insert of it succeeds, and the others load the key it stored.
   */
  public static SigningKeys loadOrCreate(Jdbc jdbc, Clock clock) {
    SigningKeyStore store = new SigningKeyStore(jdbc);
    List<ECKey> keys = parse(store.active());
    if (keys.isEmpty()) {
      ECKey key;
      try {
        key =
            new ECKeyGenerator(Curve.P_256)
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.ES256)
                .keyID(UUID.randomUUID().toString())
                .generate();
      } catch (JOSEException e) {
        throw new IllegalStateException("cannot generate a signing key", e);
      }
      // False when another instance stored the first key a moment ago: this one uses it too.
      store.insertFirst(key.getKeyID(), key.toJSONString(), clock.instant());
      keys = parse(store.active());
      if (keys.isEmpty()) {
        throw new IllegalStateException("no active signing key right after storing the first one");
      }
    }
    return new SigningKeys(keys);
  }

  private static List<ECKey> parse(List<String> jwks) {
    List<ECKey> keys = new ArrayList<>();
    for (String jwk : jwks) {
      try {
        keys.add(ECKey.parse(jwk));
      } catch (ParseException e) {
        throw new IllegalStateException("a stored signing key is corrupt", e);
      }
    }
    return keys;
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
