package io.devicelogin.cli.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.TokenSet;
import io.devicelogin.client.testing.NoSecretsInOutput;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The exact commands and input of the macOS Keychain back-end. They cannot run here; a fake {@code
 * security} answers as the real one is documented to (exit 44 for an absent item), keeping what was
 * written so that reads return it.
 */
@ExtendWith(NoSecretsInOutput.class)
class MacKeychainCommandsTest {
  /** A keychain in a map, driven by the command lines the back-end produces. */
  private final Map<String, String> keychain = new HashMap<>();

  private final RecordingRunner runner = new RecordingRunner().otherwise(this::fakeSecurity);
  private final KeyringStore store =
      KeyringStore.forOs("Mac OS X", Map.of("HOME", "/Users/ada"), runner, Duration.ofSeconds(5));

  private CommandRunner.Result fakeSecurity(RecordingRunner.Call call) {
    List<String> c = call.command();
    assertThat(c.get(0)).isEqualTo("/usr/bin/security");
    return switch (c.get(1)) {
      case "-i" -> {
        for (String line : call.stdin().split("\n")) {
          String[] w = line.split(" ");
          assertThat(w[0]).isEqualTo("add-generic-password");
          keychain.put(w[3], w[w.length - 1]);
        }
        yield RecordingRunner.ok("");
      }
      case "find-generic-password" -> {
        String value = keychain.get(c.get(3));
        yield value == null
            ? RecordingRunner.exit(
                44,
                "security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.")
            : RecordingRunner.ok(value + "\n");
      }
      case "delete-generic-password" ->
          keychain.remove(c.get(3)) == null
              ? RecordingRunner.exit(
                  44, "security: The specified item could not be found in the keychain.")
              : RecordingRunner.ok("");
      default -> throw new AssertionError("unexpected command " + c);
    };
  }

  @Test
  void savingWritesOneAddCommandOnStdinOfSecurityInteractive() {
    TokenSet tokens = TestTokens.full();
    store.save("work", tokens);

    RecordingRunner.Call add = runner.calls.get(0);
    assertThat(add.command()).containsExactly("/usr/bin/security", "-i");
    assertThat(add.stdin())
        .matches(
            "add-generic-password -U -a work -s devicelogin -l devicelogin:work -w dl1\\.1\\.[A-Za-z0-9+/=]+\n");
    assertThat(add.stdin().length()).isLessThan(4096);
    // Then it reads the item back, and looks for a stale second part to delete.
    assertThat(runner.calls.get(1).command())
        .containsExactly(
            "/usr/bin/security", "find-generic-password", "-a", "work", "-s", "devicelogin", "-w");
    assertThat(runner.calls.get(2).command())
        .containsExactly(
            "/usr/bin/security", "delete-generic-password", "-a", "work#1", "-s", "devicelogin");
    for (String value : TestTokens.values(tokens)) {
      assertThat(runner.allArguments()).doesNotContain(value);
    }
    TestTokens.assertSame(store.load("work").orElseThrow(), tokens);
  }

  @Test
  void aLargeSetIsSplitIntoPartsThatEachFitACommandLine() {
    TokenSet big = TestTokens.large(6000);
    store.save("big", big);

    String[] lines = runner.calls.get(0).stdin().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).contains("-a big ").contains(" -w dl1.3.");
    assertThat(lines[1]).contains("-a big#1 ");
    assertThat(lines[2]).contains("-a big#2 ");
    for (String line : lines) {
      assertThat(line.length()).isLessThan(4096);
    }
    TestTokens.assertSame(store.load("big").orElseThrow(), big);

    store.save("big", TestTokens.minimal());
    assertThat(keychain).containsOnlyKeys("big"); // The parts of the larger value are gone.

    store.delete("big");
    assertThat(keychain).isEmpty();
  }

  @Test
  void anAbsentItemIsEmpty() {
    assertThat(store.load("nobody")).isEmpty();
    store.delete("nobody");
    assertThat(runner.calls)
        .extracting(c -> c.command().get(1))
        .containsExactly("find-generic-password", "delete-generic-password");
  }

  @Test
  void aLockedKeychainIsUnavailableWithSecuritysReason() {
    RecordingRunner locked =
        new RecordingRunner()
            .otherwise(
                call ->
                    RecordingRunner.exit(
                        36,
                        "security: SecKeychainItemCopyContent: User interaction is not allowed."));
    KeyringStore store = KeyringStore.forOs("Mac OS X", Map.of(), locked, Duration.ofSeconds(5));
    assertThatThrownBy(() -> store.load("work"))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("User interaction is not allowed")
        .hasMessageContaining("--store memory");
    assertThatThrownBy(() -> store.save("work", TestTokens.minimal()))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("macOS Keychain");
  }
}
