package io.devicelogin.server.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.server.store.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The configuration's {@code "admins"}: the accounts it names are administrators whatever their
 * flag; a plain name names a local account only, an upstream account only its {@code
 * upstream:subject}.
 */
class AdministratorsTest {
  @TempDir Path dir;

  private Administrators read(String json) throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(file, json);
    return ClientsFile.read(file).admins();
  }

  private static User local(String username, boolean flag) {
    return new User(
        "id-" + username,
        username,
        username,
        Optional.empty(),
        flag,
        User.Status.ACTIVE,
        Instant.EPOCH);
  }

  private static User linked(String username, String upstream, String subject) {
    return new User(
        "id-" + username,
        username,
        username,
        Optional.empty(),
        false,
        User.Status.ACTIVE,
        Instant.EPOCH,
        Optional.of(new User.Link(upstream, subject)),
        List.of(),
        true,
        Optional.empty());
  }

  @Test
  void anAccountTheConfigurationNamesIsAnAdministratorWithoutItsFlag() throws IOException {
    Administrators admins = read("{ \"admins\": [\"alice\", \"corp:0a1b2c\"] }");
    assertThat(admins.isAdmin(local("alice", false))).isTrue();
    assertThat(admins.named(local("alice", false))).isTrue();
    assertThat(admins.isAdmin(linked("someone", "corp", "0a1b2c"))).isTrue();
    assertThat(admins.isAdmin(local("bob", false))).isFalse();
    assertThat(admins.isAdmin(local("bob", true))).as("the flag, the other way").isTrue();
  }

  @Test
  void aPlainNameNeverNamesAnUpstreamAccountWhoseUsernameTheUpstreamChose() throws IOException {
    Administrators admins = read("{ \"admins\": [\"alice\"] }");
    assertThat(admins.isAdmin(linked("alice", "corp", "attacker-sub"))).isFalse();
    assertThat(admins.isAdmin(linked("x", "other", "0a1b2c"))).isFalse();
  }

  @Test
  void withoutAdminsTheFlagAloneDecides() throws IOException {
    Administrators admins = read("{}");
    assertThat(admins).isEqualTo(Administrators.NONE);
    assertThat(admins.isAdmin(local("alice", false))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{ \"admins\": \"alice\" }",
        "{ \"admins\": [1] }",
        "{ \"admins\": [\"\"] }",
        "{ \"admins\": [\" alice\"] }",
        "{ \"admins\": [\":sub\"] }",
        "{ \"admins\": [\"corp:\"] }"
      })
  void aMalformedEntryStopsTheStartAndNamesTheMember(String json) {
    assertThatThrownBy(() -> read(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("admins");
  }
}
