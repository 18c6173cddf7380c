package io.devicelogin.server;

import io.devicelogin.client.Secret;
import io.devicelogin.server.grant.SigningKeys;
import io.devicelogin.server.startup.StartupException;
import io.devicelogin.server.startup.StartupFailures;
import io.devicelogin.server.store.Database;
import io.devicelogin.server.store.Jdbc;
import java.nio.file.Path;
import java.time.Clock;

/** The database of the configuration, migrated, and the signing keys it holds. */
record Storage(Database database, SigningKeys keys) {

  /**
   * Opens the database of {@code --db-url}, else the H2 database in the data directory (made if
   * absent, and private to its owner: see {@link DataDirectory}), and loads or makes the signing
   * keys.
   *
   * @throws StartupException when the database cannot be opened; nothing is left open
   */
  static Storage open(ServerConfig config, Clock clock) {
    Database database = database(config);
    try {
      SigningKeys keys = SigningKeys.loadOrCreate(new Jdbc(database.dataSource()), clock);
      if (config.dbUrl().isEmpty()) {
        // H2 has made its files by now, as the umask says.
        DataDirectory.makeDatabaseFilesPrivate(config.dataDir().toAbsolutePath());
      }
      return new Storage(database, keys);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  private static Database database(ServerConfig config) {
    if (config.dbUrl().isPresent()) {
      String url = config.dbUrl().get();
      try {
        return Database.jdbc(
            url,
            config.dbUser().orElse(null),
            config.dbPassword().map(Secret::revealForTransmission).orElse(null));
      } catch (RuntimeException e) {
        throw StartupFailures.database(url, e);
      }
    }
    Path dir = config.dataDir().toAbsolutePath();
    DataDirectory.prepare(dir);
    try {
      return Database.h2(dir);
    } catch (RuntimeException e) {
      throw StartupFailures.databaseIn(dir, e);
    }
  }
}
