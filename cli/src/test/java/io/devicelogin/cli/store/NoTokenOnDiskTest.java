package io.devicelogin.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.cli.profile.Profile;
import io.devicelogin.cli.profile.Profiles;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.testing.NoSecretsInOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * After saving, loading and deleting with both stores, and writing a profile, no file anywhere
 * under the user's home and XDG directories holds a token, in plain text or in base64. (The real
 * GNOME Keyring's own file is under that home too: it holds them encrypted.)
 */
@EnabledOnOs(OS.LINUX)
@ExtendWith(NoSecretsInOutput.class)
class NoTokenOnDiskTest {
  @TempDir Path root;

  @Test
  void noFileUnderHomeOrXdgDirectoriesHoldsAToken() throws Exception {
    try (SecretServiceSession session = SecretServiceSession.start(root.resolve("desktop"))) {
      Map<String, String> env = new HashMap<>(session.env());
      env.put(
          "XDG_CONFIG_HOME", Files.createDirectories(session.home.resolve(".config")).toString());
      env.put("XDG_DATA_HOME", session.home.resolve(".local/share").toString());
      env.put("XDG_RUNTIME_DIR", Files.createDirectories(root.resolve("run")).toString());
      List<String> secrets = new ArrayList<>();

      Profiles.open(env)
          .put(
              new Profile(
                  "work",
                  Optional.of("https://id.example.com"),
                  Optional.empty(),
                  "cli",
                  List.of("read"),
                  Optional.of("keyring")));

      TokenStore keyring = TokenStores.open(Optional.empty(), env);
      assertThat(keyring.kind()).isEqualTo("keyring");
      TokenSet inKeyring = TestTokens.full();
      secrets.addAll(TestTokens.values(inKeyring));
      keyring.save("work", inKeyring);
      TestTokens.assertSame(keyring.load("work").orElseThrow(), inKeyring);
      keyring.save("kept", inKeyring); // Still held while the files are searched.

      TokenStore memory = TokenStores.open(Optional.of("memory"), env);
      TokenSet inAgent = TestTokens.full();
      secrets.addAll(TestTokens.values(inAgent));
      memory.save("work", inAgent);
      TestTokens.assertSame(memory.load("work").orElseThrow(), inAgent);
      long agent = ((MemoryAgentStore) memory).agentPid().orElseThrow();

      assertNoFileHolds(root, secrets);

      keyring.delete("work");
      keyring.delete("kept");
      memory.delete("work");
      assertThat(((MemoryAgentStore) memory).shutdownAgent()).isTrue();
      ProcessHandle.of(agent).ifPresent(p -> p.onExit().orTimeout(20, TimeUnit.SECONDS).join());

      assertNoFileHolds(root, secrets);
    }
  }

  private static void assertNoFileHolds(Path root, List<String> secrets) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(files)
        .as("the keyring's own file is among those searched")
        .anyMatch(f -> f.toString().endsWith(".keyring"));
    for (Path file : files) {
      String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      for (String secret : secrets) {
        String shown = secret.substring(0, 4) + "…";
        assertThat(content.contains(secret)).as(file + " holds token " + shown).isFalse();
        String b64 = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        assertThat(content.contains(b64.substring(4, b64.length() - 4)))
            .as(file + " holds token " + shown + " in base64")
            .isFalse();
      }
    }
  }
}
