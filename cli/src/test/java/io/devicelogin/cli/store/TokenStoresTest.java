package io.devicelogin.cli.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.TokenSet;
import io.devicelogin.client.testing.NoSecretsInOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the store is chosen: as asked, else the keyring when it works, else the agent, never a file.
 */
@EnabledOnOs(OS.LINUX)
@ExtendWith(NoSecretsInOutput.class)
class TokenStoresTest {
  @TempDir static Path keyringRoot;
  static SecretServiceSession session;
  @TempDir Path home;

  @BeforeAll
  static void startKeyring() throws Exception {
    session = SecretServiceSession.start(keyringRoot);
  }

  @AfterAll
  static void stopKeyring() throws Exception {
    if (session != null) {
      session.close();
    }
  }

  /** A shell over SSH: a home and a runtime directory, but no D-Bus session. */
  private Map<String, String> sshEnv() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("HOME", home.toString());
    env.put("XDG_RUNTIME_DIR", Files.createDirectories(home.resolve("run")).toString());
    return env;
  }

  @Test
  void withoutAPreferenceAWorkingKeyringIsChosen() {
    Map<String, String> env = new HashMap<>(session.env());
    env.put("XDG_RUNTIME_DIR", home.toString());
    TokenStore store = TokenStores.open(Optional.empty(), env);
    assertThat(store).isInstanceOf(KeyringStore.class);
    assertThat(store.kind()).isEqualTo("keyring");
  }

  @Test
  void withoutAPreferenceAndWithoutAKeyringTheAgentIsChosen() throws Exception {
    TokenStore store = TokenStores.open(Optional.empty(), sshEnv());
    assertThat(store).isInstanceOf(MemoryAgentStore.class);
    assertThat(store.kind()).isEqualTo("memory");
    assertThat(store.location()).startsWith("in-memory agent (socket " + home.resolve("run"));
  }

  @Test
  void askingForTheKeyringWhereThereIsNoneFailsWithTheReason() throws Exception {
    Map<String, String> env = sshEnv();
    assertThatThrownBy(() -> TokenStores.open(Optional.of("keyring"), env))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("no D-Bus session bus");
  }

  @Test
  void theRecordedKeyringIsNotProbedAndSaysWhyWhenItIsRead() throws Exception {
    Map<String, String> env = sshEnv();
    TokenStore store = TokenStores.openRecorded(Optional.of("keyring"), env);
    assertThat(store).isInstanceOf(KeyringStore.class);
    assertThatThrownBy(() -> store.load("default"))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("no D-Bus session bus");
  }

  @Test
  void theRecordedKeyringReadsWhatLoginSaved() {
    Map<String, String> env = new HashMap<>(session.env());
    env.put("XDG_RUNTIME_DIR", home.toString());
    TokenSet saved = TestTokens.full();
    TokenStores.open(Optional.of("keyring"), env).save("recorded", saved);
    try {
      TokenStore recorded = TokenStores.openRecorded(Optional.of("keyring"), env);
      assertThat(recorded).isInstanceOf(KeyringStore.class);
      TestTokens.assertSame(recorded.load("recorded").orElseThrow(), saved);
    } finally {
      TokenStores.openRecorded(Optional.of("keyring"), env).delete("recorded");
    }
    assertThat(TokenStores.openRecorded(Optional.of("memory"), env))
        .isInstanceOf(MemoryAgentStore.class);
  }

  @Test
  void askingForMemoryGivesTheAgentEvenWhereAKeyringWorks() {
    Map<String, String> env = new HashMap<>(session.env());
    env.put("XDG_RUNTIME_DIR", home.toString());
    assertThat(TokenStores.open(Optional.of("memory"), env)).isInstanceOf(MemoryAgentStore.class);
    assertThat(TokenStores.open(Optional.of("Keyring"), env)).isInstanceOf(KeyringStore.class);
  }

  @Test
  void anUnknownPreferenceIsAUsageError() {
    assertThatThrownBy(() -> TokenStores.open(Optional.of("file"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown token store \"file\": use keyring or memory");
  }

  @Test
  void whenNeitherWorksTheErrorGivesBothReasonsAndNothingIsWritten() throws Exception {
    Map<String, String> env = sshEnv();
    Path unsafe =
        Files.createDirectory(
            Path.of(env.get("XDG_RUNTIME_DIR")).resolve("devicelogin"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.setPosixFilePermissions(unsafe, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThatThrownBy(() -> TokenStores.open(Optional.empty(), env))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("never writes them to a plain file")
        .hasMessageContaining("OS keyring: no OS keyring: there is no D-Bus session bus")
        .hasMessageContaining("In-memory agent: the in-memory agent cannot be used: " + unsafe)
        .hasMessageContaining("rwxrwxrwx");
    try (Stream<Path> files = Files.walk(home)) {
      assertThat(files.filter(Files::isRegularFile)).as("no fallback file").isEmpty();
    }
  }

  @Test
  void stoppingAnAgentThatDoesNotRunSaysSo() throws Exception {
    assertThat(TokenStores.stopAgent(sshEnv())).isFalse();
  }
}
