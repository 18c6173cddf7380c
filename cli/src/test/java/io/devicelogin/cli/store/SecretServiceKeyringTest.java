package io.devicelogin.cli.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.TokenSet;
import io.devicelogin.client.testing.NoSecretsInOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@link KeyringStore} on Linux against a real GNOME Keyring on a private D-Bus session bus. */
@EnabledOnOs(OS.LINUX)
@ExtendWith(NoSecretsInOutput.class)
class SecretServiceKeyringTest {
  @TempDir static Path root;
  static SecretServiceSession session;

  @BeforeAll
  static void startKeyring() throws Exception {
    session = SecretServiceSession.start(root);
  }

  @AfterAll
  static void stopKeyring() throws Exception {
    if (session != null) {
      session.close();
    }
  }

  private static KeyringStore store(Map<String, String> env) {
    return KeyringStore.forOs("Linux", env, new ProcessCommandRunner(), Duration.ofSeconds(20));
  }

  @Test
  void savesLoadsAndDeletes() {
    KeyringStore store = store(session.env());
    TokenSet tokens = TestTokens.full();

    store.save("save-load-delete", tokens);
    TestTokens.assertSame(store.load("save-load-delete").orElseThrow(), tokens);

    store.delete("save-load-delete");
    assertThat(store.load("save-load-delete")).isEmpty();
    assertThat(store.kind()).isEqualTo("keyring");
    assertThat(store.location()).contains("Secret Service");
  }

  @Test
  void aSecondSaveReplacesTheFirst() {
    KeyringStore store = store(session.env());
    store.save("replaced", TestTokens.full());
    TokenSet second = TestTokens.minimal();
    store.save("replaced", second);
    TestTokens.assertSame(store.load("replaced").orElseThrow(), second);
    store.delete("replaced");
  }

  @Test
  void twoProfilesAreKeptApart() {
    KeyringStore store = store(session.env());
    TokenSet work = TestTokens.full();
    TokenSet home = TestTokens.minimal();
    store.save("work", work);
    store.save("home", home);

    TestTokens.assertSame(store.load("work").orElseThrow(), work);
    TestTokens.assertSame(store.load("home").orElseThrow(), home);

    store.delete("work");
    assertThat(store.load("work")).isEmpty();
    TestTokens.assertSame(store.load("home").orElseThrow(), home);
    store.delete("home");
  }

  @Test
  void aMissingEntryIsEmptyAndDeletingItIsHarmless() {
    KeyringStore store = store(session.env());
    assertThat(store.load("never-saved")).isEqualTo(Optional.empty());
    store.delete("never-saved");
  }

  @Test
  void theProbeSucceedsAndLeavesNothingBehind() {
    KeyringStore store = store(session.env());
    store.probe();
    SecretToolBackend backend =
        new SecretToolBackend(new ProcessCommandRunner(), session.env(), Duration.ofSeconds(20));
    assertThat(backend.read(KeyringStore.PROBE_ACCOUNT)).isEmpty();
  }

  @Test
  void withoutADBusSessionTheStoreIsUnavailableAndSaysWhy() {
    Map<String, String> env = new HashMap<>(session.env());
    env.remove("DBUS_SESSION_BUS_ADDRESS");
    KeyringStore store = store(env);

    assertThatThrownBy(() -> store.save("x", TestTokens.minimal()))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("no D-Bus session bus")
        .hasMessageContaining("DBUS_SESSION_BUS_ADDRESS is not set")
        .hasMessageContaining("--store memory");
    assertThatThrownBy(() -> store.load("x")).isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(store::probe).isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void aBusThatCannotBeReachedIsUnavailable() {
    Map<String, String> env = new HashMap<>(session.env());
    env.put("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + root.resolve("no-such-bus"));
    assertThatThrownBy(() -> store(env).probe())
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("the D-Bus session bus cannot be reached");
  }

  @Test
  void withoutSecretToolTheStoreIsUnavailableAndSaysWhatToInstall() throws Exception {
    Map<String, String> env = new HashMap<>(session.env());
    env.put("PATH", Files.createDirectories(root.resolve("empty-bin")).toString());
    assertThatThrownBy(() -> store(env).probe())
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("`secret-tool` is not on PATH")
        .hasMessageContaining("libsecret-tools");
  }

  @Test
  void aBusWithoutASecretServiceIsUnavailable() throws Exception {
    try (SecretServiceSession.BareBus bare = SecretServiceSession.bareBus(root.resolve("bare"))) {
      Map<String, String> env = new HashMap<>(session.env());
      env.put("DBUS_SESSION_BUS_ADDRESS", bare.address);
      assertThatThrownBy(() -> store(env).probe())
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("no Secret Service provider");
    }
  }

  @Test
  void aLockedKeyringIsUnavailableForEveryOperation() throws Exception {
    Path lockedRoot = Files.createDirectories(root.resolve("locked"));
    try (SecretServiceSession locked = SecretServiceSession.start(lockedRoot)) {
      KeyringStore store = store(locked.env());
      store.save("held", TestTokens.full());
      locked.lockKeyring();

      assertThatThrownBy(() -> store.save("other", TestTokens.minimal()))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("locked");
      assertThatThrownBy(() -> store.load("held"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("locked");
      assertThatThrownBy(() -> store.delete("held"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("locked");
      assertThatThrownBy(store::probe).isInstanceOf(StoreUnavailableException.class);
      // A profile that was never saved is still just absent.
      assertThat(store.load("never-saved")).isEmpty();
    }
  }

  @Test
  void aHelperThatHangsIsKilledAtTheTimeLimit() throws Exception {
    Path bin = Files.createDirectories(root.resolve("hanging-bin"));
    Path fake = bin.resolve("secret-tool");
    Files.writeString(fake, "#!/bin/sh\nexec sleep 600\n");
    fake.toFile().setExecutable(true);
    Map<String, String> env = new HashMap<>(session.env());
    env.put("PATH", bin + ":/usr/bin:/bin");
    KeyringStore store =
        KeyringStore.forOs("Linux", env, new ProcessCommandRunner(), Duration.ofSeconds(1));

    long started = System.nanoTime();
    assertThatThrownBy(() -> store.load("x"))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("did not answer within 1 s");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void theSecretGoesInOnStdinAndNeverInArguments() throws Exception {
    // A stand-in secret-tool that records its arguments and its input, then hands over to the real
    // one.
    Path bin = Files.createDirectories(root.resolve("recording-bin"));
    Path log = root.resolve("recording.log");
    Path fake = bin.resolve("secret-tool");
    Files.writeString(
        fake,
        "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '"
            + log
            + "'\n"
            + "if [ \"$1\" = store ]; then tee -a '"
            + log
            + ".stdin' | "
            + SecretServiceSession.which("secret-tool")
            + " \"$@\"; else exec "
            + SecretServiceSession.which("secret-tool")
            + " \"$@\"; fi\n");
    fake.toFile().setExecutable(true);
    Map<String, String> env = new HashMap<>(session.env());
    env.put("PATH", bin + ":/usr/bin:/bin");
    KeyringStore store = store(env);
    TokenSet tokens = TestTokens.full();

    store.save("argv-check", tokens);
    TestTokens.assertSame(store.load("argv-check").orElseThrow(), tokens);
    store.delete("argv-check");

    String arguments = Files.readString(log, StandardCharsets.UTF_8);
    String stdin = Files.readString(Path.of(log + ".stdin"), StandardCharsets.UTF_8);
    assertThat(arguments)
        .contains(
            "store",
            "--label=devicelogin (argv-check)",
            "lookup",
            "clear",
            "profile",
            "argv-check");
    for (String value : TestTokens.values(tokens)) {
      assertThat(arguments).doesNotContain(value);
      assertThat(stdin).contains(value);
    }
    Files.delete(log);
    Files.delete(Path.of(log + ".stdin"));
  }
}
