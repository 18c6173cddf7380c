package io.devicelogin.cli.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each keyring back-end's helper program that hangs or cannot start: the store does not work, and
 * the message names it, says why it may hang, and shows the way around.
 */
class HelperProgramTest {
  private static final String USE_MEMORY =
      "; `--store memory` keeps tokens in the in-memory agent instead";
  private static final CommandRunner HANGS =
      (command, stdin, environment, timeout) -> {
        throw new CommandRunner.TimedOut("killed after " + timeout);
      };
  private static final CommandRunner MISSING =
      (command, stdin, environment, timeout) -> {
        throw new IOException("No such file or directory");
      };

  @TempDir Path bin;

  /** The store of {@code os}; on Linux, {@code secret-tool} is there, and a session bus. */
  private KeyringStore on(String os, CommandRunner runner) throws IOException {
    if (!Files.exists(bin.resolve("secret-tool"))) {
      Files.createFile(
          bin.resolve("secret-tool"),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Map<String, String> env =
        Map.of(
            "PATH", bin.toString(),
            "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent",
            "SystemRoot", "C:\\Windows");
    return KeyringStore.forOs(os, env, runner, Duration.ofSeconds(5));
  }

  @Test
  void aHelperThatDoesNotAnswerInTimeIsAStoreThatDoesNotWork() throws IOException {
    assertThatThrownBy(() -> on("Linux", HANGS).load("work"))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessage(
            "the Secret Service did not answer within 5 s when asked to read the tokens"
                + " (is it waiting for an unlock prompt nobody sees?)"
                + USE_MEMORY);
  }

  @Test
  void eachStoreSaysWhyItsHelperMayHang() throws IOException {
    assertThatThrownBy(() -> on("Mac OS X", HANGS).delete("work"))
        .hasMessage(
            "the macOS Keychain did not answer within 5 s when asked to delete the tokens"
                + " (is it waiting for a password prompt?)"
                + USE_MEMORY);
    assertThatThrownBy(() -> on("Windows 11", HANGS).load("work"))
        .hasMessage(
            "PowerShell did not answer within 5 s when asked to read the tokens" + USE_MEMORY);
  }

  @Test
  void aHelperThatCannotStartIsNamed() throws IOException {
    assertThatThrownBy(() -> on("Linux", MISSING).load("work"))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessage(
            "cannot run "
                + bin.resolve("secret-tool")
                + ": No such file or directory"
                + USE_MEMORY);
  }

  @Test
  void macOsAndWindowsNameTheirHelpers() throws IOException {
    assertThatThrownBy(() -> on("Mac OS X", MISSING).load("work"))
        .hasMessage("cannot run /usr/bin/security: No such file or directory" + USE_MEMORY);
    assertThatThrownBy(() -> on("Windows 11", MISSING).load("work"))
        .hasMessage("cannot run Windows PowerShell: No such file or directory" + USE_MEMORY);
  }
}
