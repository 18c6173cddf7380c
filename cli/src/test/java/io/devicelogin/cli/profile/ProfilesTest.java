package io.devicelogin.cli.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.testing.NoSecretsInOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoSecretsInOutput.class)
class ProfilesTest {
  @TempDir Path home;

  private static Profile work() {
    return new Profile(
        "work",
        Optional.of("https://id.example.com"),
        Optional.empty(),
        "cli",
        List.of("openid", "read"),
        Optional.of("keyring"));
  }

  private static Profile github() {
    return new Profile(
        "gh", Optional.empty(), Optional.of("github"), "Iv1.abc", List.of(), Optional.empty());
  }

  @Test
  void putGetListRemove() {
    Profiles profiles = Profiles.open(Map.of("HOME", home.toString()));
    assertThat(profiles.list()).isEmpty();
    assertThat(profiles.get("work")).isEmpty();

    profiles.put(work());
    profiles.put(github());
    assertThat(profiles.get("work")).contains(work());
    assertThat(profiles.get("gh")).contains(github());
    assertThat(profiles.list()).containsExactly(github(), work());

    Profile changed =
        new Profile(
            "work",
            Optional.of("https://other.example.com"),
            Optional.empty(),
            "cli2",
            List.of("read"),
            Optional.of("memory"));
    profiles.put(changed);
    assertThat(profiles.get("work")).contains(changed);
    // Another process reading the same file sees the same.
    assertThat(Profiles.open(Map.of("HOME", home.toString())).list())
        .containsExactly(github(), changed);

    assertThat(profiles.remove("work")).isTrue();
    assertThat(profiles.remove("work")).isFalse();
    assertThat(profiles.list()).containsExactly(github());
  }

  @Test
  void theFileFollowsXdgConfigHomeElseHomeDotConfig() {
    Path xdg = home.resolve("xdg");
    assertThat(
            Profiles.open(Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", xdg.toString()))
                .file())
        .isEqualTo(xdg.resolve("devicelogin/profiles.json"));
    assertThat(Profiles.open(Map.of("HOME", home.toString())).file())
        .isEqualTo(home.resolve(".config/devicelogin/profiles.json"));
    assertThat(
            Profiles.open(Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", "relative/path"))
                .file())
        .as("a relative XDG_CONFIG_HOME is ignored, as the specification says")
        .isEqualTo(home.resolve(".config/devicelogin/profiles.json"));
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void theDirectoryIs0700AndTheFile0600() throws Exception {
    Files.createDirectories(home.resolve(".config"));
    Files.createDirectory(home.resolve(".config/devicelogin"));
    Files.setPosixFilePermissions(
        home.resolve(".config/devicelogin"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Profiles profiles = Profiles.open(Map.of("HOME", home.toString()));
    profiles.put(work());

    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(profiles.file().getParent())))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(profiles.file())))
        .isEqualTo("rw-------");
    try (var files = Files.list(profiles.file().getParent())) {
      assertThat(
              files
                  .map(f -> f.getFileName().toString())
                  .filter(n -> !n.startsWith(".profiles.lock")))
          .as("no temporary file left")
          .containsExactly("profiles.json");
    }
  }

  @Test
  void theFileHoldsConfigurationOnly() throws Exception {
    Profiles profiles = Profiles.open(Map.of("HOME", home.toString()));
    profiles.put(work());
    String json = Files.readString(profiles.file());
    assertThat(json)
        .contains(
            "\"v\" : 1",
            "\"issuer\" : \"https://id.example.com\"",
            "\"client_id\" : \"cli\"",
            "\"scopes\" : [ \"openid\", \"read\" ]",
            "\"store\" : \"keyring\"");
    assertThat(json).doesNotContain("token", "secret", "password");
  }

  @Test
  void aDamagedFileIsAClearErrorThatSaysWhereAndWhatToDo() throws Exception {
    Profiles profiles = Profiles.open(Map.of("HOME", home.toString()));
    Files.createDirectories(profiles.file().getParent());
    Files.writeString(
        profiles.file(),
        "{\n  \"v\": 1,\n  \"profiles\": {\n    \"work\": { \"client_id\": \"cli\",,\n");

    assertThatThrownBy(() -> profiles.get("work"))
        .isInstanceOf(ProfilesException.class)
        .hasMessageStartingWith(profiles.file() + " is damaged: it is not valid JSON at line 4")
        .hasMessageContaining("delete it and log in again");
    assertThatThrownBy(() -> profiles.put(github()))
        .as("a damaged file is never overwritten")
        .isInstanceOf(ProfilesException.class);
    assertThat(Files.readString(profiles.file())).contains(",,");

    Files.writeString(
        profiles.file(), "{\"v\":1,\"profiles\":{\"work\":{\"issuer\":\"https://x\"}}}");
    assertThatThrownBy(profiles::list)
        .isInstanceOf(ProfilesException.class)
        .hasMessageContaining("profile work has no client_id");
    Files.writeString(
        profiles.file(),
        "{\"v\":1,\"profiles\":{\"work\":{\"client_id\":\"c\",\"scopes\":\"read\"}}}");
    assertThatThrownBy(profiles::list)
        .isInstanceOf(ProfilesException.class)
        .hasMessageContaining("the scopes of profile work are not a list");
    Files.writeString(profiles.file(), "{\"v\":9,\"profiles\":{}}");
    assertThatThrownBy(profiles::list)
        .isInstanceOf(ProfilesException.class)
        .hasMessageContaining("format v9");
    Files.writeString(profiles.file(), "[]");
    assertThatThrownBy(profiles::list)
        .isInstanceOf(ProfilesException.class)
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void anEmptyFileMeansNoProfiles() throws Exception {
    Profiles profiles = Profiles.open(Map.of("HOME", home.toString()));
    Files.createDirectories(profiles.file().getParent());
    Files.writeString(profiles.file(), "");
    assertThat(profiles.list()).isEmpty();
    profiles.put(work());
    assertThat(profiles.list()).containsExactly(work());
  }

  @Test
  void invalidNamesAreRefused() {
    Profiles profiles = Profiles.open(Map.of("HOME", home.toString()));
    for (String bad : List.of("", "-x", "a b", "../x", "a/b", "x".repeat(65), "naïve", "a\nb")) {
      assertThatThrownBy(
              () ->
                  profiles.put(
                      new Profile(
                          bad,
                          Optional.empty(),
                          Optional.of("github"),
                          "c",
                          List.of(),
                          Optional.empty())))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid profile name");
    }
    assertThat(ProfileNames.isValid("default")).isTrue();
    assertThat(ProfileNames.isValid("my-org_2.prod")).isTrue();
  }

  @Test
  void concurrentWritersLoseNothing() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        String name = "p" + i;
        writes.add(
            pool.submit(
                () ->
                    Profiles.open(Map.of("HOME", home.toString()))
                        .put(
                            new Profile(
                                name,
                                Optional.empty(),
                                Optional.of("github"),
                                "c",
                                List.of(),
                                Optional.empty()))));
      }
      for (Future<?> write : writes) {
        write.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(Profiles.open(Map.of("HOME", home.toString())).list()).hasSize(24);
  }
}
