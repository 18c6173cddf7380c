package io.devicelogin.server.testing;

import io.devicelogin.server.store.Database;
import io.devicelogin.server.store.Jdbc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A new, migrated database of a {@link Backend}, for tests of the store's classes without a server:
 * an H2 file in a temporary directory, or a new database of the {@link SharedPostgres} server. Each
 * {@link #open()} is another connection pool on it, as another instance would have (H2 lets the
 * pools of one process share its file). Closing closes them all and deletes the database.
 */
public final class FreshDatabase implements AutoCloseable {
  private final Path dir;
  private final SharedPostgres.TestDatabase postgres;
  private final List<Database> pools = new ArrayList<>();
  private final Jdbc jdbc;

  private FreshDatabase(Path dir, SharedPostgres.TestDatabase postgres) {
    this.dir = dir;
    this.postgres = postgres;
    this.jdbc = new Jdbc(open().dataSource());
  }

  public static FreshDatabase create(Backend backend) {
    try {
      Path dir = Files.createTempDirectory("devicelogin-db-test");
      return new FreshDatabase(
          dir, backend == Backend.POSTGRES ? SharedPostgres.get().createDatabase() : null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first pool's {@link Jdbc}. */
  public Jdbc jdbc() {
    return jdbc;
  }

  /** Another pool on the same database. */
  public Database open() {
    Database db =
        postgres == null
            ? Database.h2(dir)
            : Database.jdbc(postgres.url(), postgres.user(), postgres.password());
    pools.add(db);
    return db;
  }

  @Override
  public void close() {
    pools.forEach(Database::close);
    if (postgres != null) {
      SharedPostgres.get().dropDatabase(postgres.name());
    }
    Directories.deleteQuietly(dir);
  }
}
