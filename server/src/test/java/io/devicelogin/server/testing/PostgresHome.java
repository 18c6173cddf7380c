package io.devicelogin.server.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * This JVM's one temporary directory for embedded PostgreSQL: the binaries zonky extracts, the real
 * ones {@link RootSafePostgres} extracts when the tests run as root, and every server's data
 * directory. At exit one shutdown hook stops every server started here and then deletes the
 * directory, so that a test run leaves nothing behind; the price is extracting the binaries once
 * per test JVM (a few seconds) rather than once per machine.
 */
final class PostgresHome {
  private static PostgresHome instance;

  private final Path dir;
  private final List<EmbeddedPostgres> servers = new CopyOnWriteArrayList<>();
  private RootSafePostgres rootSafe;

  private PostgresHome(Path dir) {
    this.dir = dir;
  }

  static synchronized PostgresHome get() {
    if (instance == null) {
      try {
        Path dir = Files.createTempDirectory("devicelogin-pg");
        // Traversable by the account PostgreSQL runs as when the tests run as root.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        // zonky's working directory (its binaries), which it would otherwise make in
        // java.io.tmpdir/embedded-pg and keep.
        System.setProperty("ot.epg.working-dir", dir.resolve("zonky").toString());
        instance = new PostgresHome(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a directory for PostgreSQL", e);
      }
      Runtime.getRuntime()
          .addShutdownHook(new Thread(instance::stopAndDelete, "devicelogin-pg-cleanup"));
    }
    return instance;
  }

  /** A builder of a server whose binaries and data directory live here. */
  synchronized EmbeddedPostgres.Builder builder() throws IOException {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(Files.createTempDirectory(dir, "data-"))
            .setCleanDataDirectory(true)
            // This class's hook stops the server before it deletes the binaries the server runs.
            .setRegisterShutdownHook(false)
            // The same collation and messages on every machine, whatever its locale settings.
            .setLocaleConfig("locale", "C")
            .setPGStartupWait(Duration.ofSeconds(60));
    if (RootSafePostgres.needed()) {
      if (rootSafe == null) {
        rootSafe = RootSafePostgres.prepare(dir.resolve("real"));
      }
      builder.setPgBinaryResolver(rootSafe);
    }
    return builder;
  }

  /** Starts a server from {@link #builder()}; it is stopped at exit if nobody stopped it before. */
  EmbeddedPostgres start(EmbeddedPostgres.Builder builder) throws IOException {
    EmbeddedPostgres postgres = builder.start();
    servers.add(postgres);
    return postgres;
  }

  private void stopAndDelete() {
    for (EmbeddedPostgres postgres : servers) {
      try {
        postgres.close();
      } catch (IOException | RuntimeException e) {
        // Stopped already, or gone with its data directory: nothing left to stop.
      }
    }
    Directories.deleteQuietly(dir);
  }
}
