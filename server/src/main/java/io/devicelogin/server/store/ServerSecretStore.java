package io.devicelogin.server.store;

import io.devicelogin.client.Secret;
import java.time.Instant;

/** The rows of {@code server_secrets}: one key per purpose, shared by every instance. */
public final class ServerSecretStore {
  private final Jdbc jdbc;

  public ServerSecretStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The key stored for {@code purpose}, storing {@code candidate} first if there is none. Of
   * several instances that store one at once only the first succeeds, and all get that one.
   */
  public Secret findOrStore(String purpose, Secret candidate, Instant now) {
    if (find(purpose) == null) {
      try {
        jdbc.update(
            "INSERT INTO server_secrets (purpose, secret, created_at) VALUES (?, ?, ?)",
            purpose,
            candidate.revealForTransmission(),
            now);
      } catch (StoreException e) {
        if (!e.isUniqueViolation()) {
          throw e;
        }
      }
    }
    String stored = find(purpose);
    if (stored == null) {
      throw new IllegalStateException(
          "no server secret for " + purpose + " right after storing it");
    }
    return Secret.of(stored);
  }

  private String find(String purpose) {
    return jdbc.queryOne(
            "SELECT secret FROM server_secrets WHERE purpose = ?", r -> r.getString(1), purpose)
        .orElse(null);
  }
}
