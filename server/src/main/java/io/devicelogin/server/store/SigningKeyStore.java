package io.devicelogin.server.store;

import java.time.Instant;
import java.util.List;

/** The rows of {@code signing_keys}: each key as its JWK JSON, private part included. */
public final class SigningKeyStore {
  /** The first key's place in the sequence of keys ({@code signing_keys.generation}, unique). */
  private static final int FIRST_GENERATION = 1;

  private final Jdbc jdbc;

  public SigningKeyStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** The active keys' JWKs, oldest first. */
  public List<String> active() {
    return jdbc.query(
        "SELECT jwk FROM signing_keys WHERE active = TRUE ORDER BY created_at, kid",
        r -> r.getString(1));
  }

  /**
   * Stores the first key, active. Of several instances that store one at once, only the first
   * succeeds: false for the others, which find that one key stored.
   */
  public boolean insertFirst(String kid, String jwk, Instant createdAt) {
    try {
      jdbc.update(
          "INSERT INTO signing_keys (kid, jwk, created_at, active, generation) VALUES (?, ?, ?, TRUE, ?)",
          kid,
          jwk,
          createdAt,
          FIRST_GENERATION);
      return true;
    } catch (StoreException e) {
      if (!e.isUniqueViolation()) {
        throw e;
      }
      return false;
    }
  }
}
