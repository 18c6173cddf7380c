package io.devicelogin.server;

import io.devicelogin.server.startup.StartupException;
import io.devicelogin.server.startup.StartupFailures;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The directory of the embedded H2 database, which holds the private signing key: made readable by
 * its owner only, and refused when another user of the machine could read it, since whoever copies
 * the file can sign tokens. Where the file system has no POSIX permissions, nothing is checked.
 */
final class DataDirectory {
  static final Set<PosixFilePermission> PRIVATE_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

  private static final Set<PosixFilePermission> OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  /** The prefix of the files H2 makes for the database {@code devicelogin}. */
  private static final String DATABASE_FILES = "devicelogin.";

  private DataDirectory() {}

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Makes {@code dir} (and missing parents) private to its owner, or checks that an existing one
   * is, and makes the database files in it private too.
   *
   * @throws StartupException if it cannot be made, or group or others may use it
   */
  static void prepare(Path dir) {
    if (!posix()) {
      createIfAbsent(dir);
      return;
    }
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY));
      }
      Set<PosixFilePermission> granted = Files.getPosixFilePermissions(dir);
      if (granted.stream().anyMatch(OTHERS::contains)) {
        throw StartupFailures.dataDirectoryNotPrivate(dir, PosixFilePermissions.toString(granted));
      }
    } catch (IOException e) {
      throw StartupFailures.dataDirectory(dir, e);
    }
    makeDatabaseFilesPrivate(dir);
  }

  /**
   * Makes the database files in {@code dir} readable by their owner only: H2 makes them as the
   * umask says (often 0644). Behind a private directory no one else could reach them, but a copy of
   * the directory keeps the files' permissions.
   */
  static void makeDatabaseFilesPrivate(Path dir) {
    if (!posix()) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> database =
          files
              .filter(f -> f.getFileName().toString().startsWith(DATABASE_FILES))
              .filter(Files::isRegularFile)
              .toList();
      for (Path file : database) {
        Files.setPosixFilePermissions(file, PRIVATE_FILE);
      }
    } catch (IOException e) {
      throw StartupFailures.dataDirectoryPermissions(dir, e);
    }
  }

  private static void createIfAbsent(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw StartupFailures.dataDirectory(dir, e);
    }
  }
}
