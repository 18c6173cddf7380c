package io.devicelogin.server.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client's {@code approvers} and {@code scope_groups} in the configuration file. */
class ApproversFileTest {
  @TempDir Path dir;

  private ClientPolicy client(String members) throws IOException {
    Path f = dir.resolve("clients.json");
    Files.writeString(
        f,
        "{\"clients\": [{\"client_id\": \"c\", \"scopes\": [\"openid\", \"inventory:write\"], "
            + members
            + "}]}");
    return ClientsFile.read(f).find("c").orElseThrow();
  }

  private void assertRejected(String members, String... messageParts) {
    assertThatThrownBy(() -> client(members))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll(messageParts);
  }

  @Test
  void approversAndScopeGroupsAreRead() throws IOException {
    ClientPolicy c =
        client(
            "\"approvers\": {\"groups\": [\"ops\"], \"email_domains\": [\"Corp.Example\"],"
                + " \"users\": [\"alice\", \"corp:00u42\"]},"
                + " \"scope_groups\": {\"inventory:write\": [\"ops\", \"sre\"]}");
    assertThat(c.approvers())
        .isEqualTo(
            new ApproverPolicy(
                Set.of("ops"),
                Set.of("corp.example"),
                Set.of("alice", "corp:00u42"),
                Map.of("inventory:write", Set.of("ops", "sre"))));
  }

  @Test
  void withoutThemAnyoneWithAnAccountMayApprove() throws IOException {
    assertThat(client("\"name\": \"C\"").approvers()).isEqualTo(ApproverPolicy.ANYONE);
  }

  @Test
  void approversThatNameNobodyAreATypoAndStopTheStart() {
    assertRejected("\"approvers\": {}", "client 'c'", "approvers", "names nobody");
    assertRejected("\"approvers\": {\"group\": [\"ops\"]}", "unknown member 'group'");
  }

  @Test
  void anEmailDomainIsADomainNotAnAddress() {
    assertRejected("\"approvers\": {\"email_domains\": [\"@corp.example\"]}", "email_domains");
  }

  @Test
  void scopeGroupsNameOnlyTheClientsScopesAndSomeGroup() {
    assertRejected(
        "\"scope_groups\": {\"inventory:delete\": [\"ops\"]}",
        "inventory:delete",
        "not one of the client's scopes");
    assertRejected("\"scope_groups\": {\"inventory:write\": []}", "must not be empty");
  }
}
