package io.devicelogin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.server.startup.StartupException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The H2 data directory holds the private signing key: whoever can copy the database can sign
 * tokens. So the directory and the database files are the owner's alone, and a directory others can
 * use is refused at start-up with the command that fixes it.
 */
class DataDirectoryTest {
  @TempDir Path parent;

  @BeforeAll
  static void posixOnly() {
    Assumptions.assumeTrue(
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
  }

  private static DeviceLoginServer start(Path dataDir) {
    return DeviceLoginServer.start(
        ServerConfig.parse(List.of("--port", "0", "--data-dir", dataDir.toString()), Map.of()),
        Clock.systemUTC(),
        new SecureRandom(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private static List<Path> databaseFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("devicelogin.")).toList();
    }
  }

  @Test
  void aNewDataDirectoryAndItsDatabaseFilesAreTheOwnersAlone() throws IOException {
    Path dataDir = parent.resolve("made/by/the/server");

    start(dataDir).close();

    assertThat(permissions(dataDir)).isEqualTo("rwx------");
    assertThat(permissions(dataDir.getParent())).isEqualTo("rwx------");
    assertThat(databaseFiles(dataDir))
        .isNotEmpty()
        .allSatisfy(f -> assertThat(permissions(f)).as("%s", f).isEqualTo("rw-------"));
  }

  @Test
  void aDataDirectoryOtherUsersCanReadIsRefusedWithTheChmodThatFixesIt() throws IOException {
    Path dataDir = Files.createDirectory(parent.resolve("shared"));
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThatThrownBy(() -> start(dataDir))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("rwxr-xr-x")
        .hasMessageContaining("signing key")
        .hasMessageEndingWith("chmod -R go-rwx " + dataDir.toAbsolutePath());
    assertThat(databaseFiles(dataDir)).as("no database is made where others can read it").isEmpty();
  }

  @Test
  void aDirectoryOnlyTheGroupCanEnterIsRefusedToo() throws IOException {
    Path dataDir = Files.createDirectory(parent.resolve("group"));
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx--x---"));

    assertThatThrownBy(() -> start(dataDir)).isInstanceOf(StartupException.class);
  }

  @Test
  void databaseFilesAnEarlierVersionLeftReadableAreMadeTheOwnersAlone() throws IOException {
    Path dataDir = parent.resolve("upgraded");
    start(dataDir).close();
    for (Path file : databaseFiles(dataDir)) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    start(dataDir).close();

    assertThat(databaseFiles(dataDir))
        .allSatisfy(f -> assertThat(permissions(f)).as("%s", f).isEqualTo("rw-------"));
  }
}
