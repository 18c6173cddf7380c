package io.devicelogin.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.policy.ApproverPolicy.Allowed;
import io.devicelogin.server.policy.ApproverPolicy.Decision;
import io.devicelogin.server.policy.ApproverPolicy.Refused;
import io.devicelogin.server.policy.ApproverPolicy.Rule;
import io.devicelogin.server.store.User;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Who may approve a client's sign-ins ({@code approvers}) and which scopes each may delegate
 * ({@code scope_groups}): a person passes by any list, and every decision names its rule.
 */
class ApproverPolicyTest {
  private static final Scope ASKED = Scope.of("openid", "inventory:read", "inventory:write");

  private static User local(String username, String email, String... groups) {
    return new User(
        "id-" + username,
        username,
        username,
        Optional.ofNullable(email),
        false,
        User.Status.ACTIVE,
        Instant.EPOCH,
        Optional.empty(),
        List.of(groups),
        false,
        Optional.empty());
  }

  private static User linked(
      String username, String subject, String email, boolean verified, String... groups) {
    return new User(
        "id-" + username,
        username,
        username,
        Optional.ofNullable(email),
        false,
        User.Status.ACTIVE,
        Instant.EPOCH,
        Optional.of(new User.Link("corp", subject)),
        List.of(groups),
        verified,
        Optional.empty());
  }

  private static ApproverPolicy approvers(
      Set<String> groups, Set<String> domains, Set<String> users) {
    return new ApproverPolicy(groups, domains, users, Map.of());
  }

  private static Rule passedBy(Decision d) {
    assertThat(d).isInstanceOf(Allowed.class);
    return d.rule();
  }

  @Test
  void withoutApproverListsAnyoneWithAnAccountApprovesEverything() {
    Decision d = ApproverPolicy.ANYONE.decide(local("eve", null), ASKED);
    assertThat(d).isEqualTo(new Allowed(Rule.ANYONE, ASKED, Map.of()));
  }

  @Test
  void aMemberOfAnApproverGroupPassesByTheGroupsRule() {
    ApproverPolicy p = approvers(Set.of("ops"), Set.of(), Set.of());
    assertThat(passedBy(p.decide(local("ann", null, "dev", "ops"), ASKED))).isEqualTo(Rule.GROUPS);
  }

  @Test
  void someoneInNoApproverGroupIsRefusedAndTheRuleIsNamed() {
    ApproverPolicy p = approvers(Set.of("ops"), Set.of(), Set.of());
    Decision d = p.decide(local("bob", "bob@corp.example", "dev"), ASKED);
    assertThat(d).isInstanceOf(Refused.class);
    assertThat(d.rule()).isEqualTo(Rule.NOT_AN_APPROVER);
    assertThat(((Refused) d).audit()).contains("approvers.groups");
  }

  @Test
  void aLinkedAccountPassesTheDomainRuleOnlyWithAVerifiedAddress() {
    ApproverPolicy p = approvers(Set.of(), Set.of("corp.example"), Set.of());
    assertThat(passedBy(p.decide(linked("ann", "s1", "ann@Corp.Example", true), ASKED)))
        .isEqualTo(Rule.EMAIL_DOMAINS);
    assertThat(p.decide(linked("ann", "s1", "ann@corp.example", false), ASKED).rule())
        .isEqualTo(Rule.NOT_AN_APPROVER);
  }

  @Test
  void aLocalAccountsAddressWasEnteredByAnAdministratorAndIsTrusted() {
    ApproverPolicy p = approvers(Set.of(), Set.of("corp.example"), Set.of());
    assertThat(passedBy(p.decide(local("ann", "ann@corp.example"), ASKED)))
        .isEqualTo(Rule.EMAIL_DOMAINS);
  }

  @Test
  void theDomainRuleMatchesThatDomainExactlyNotASubdomainOrASuffix() {
    ApproverPolicy p = approvers(Set.of(), Set.of("corp.example"), Set.of());
    for (String email :
        new String[] {"x@evil-corp.example", "x@sub.corp.example", "x@corp.example.evil", "x"}) {
      assertThat(p.decide(local("x", email), ASKED).rule())
          .as(email)
          .isEqualTo(Rule.NOT_AN_APPROVER);
    }
  }

  @Test
  void aUserIsNamedByUsernameOrByUpstreamAndSubject() {
    ApproverPolicy p = approvers(Set.of(), Set.of(), Set.of("alice", "corp:00u42"));
    assertThat(passedBy(p.decide(local("alice", null), ASKED))).isEqualTo(Rule.USERS);
    assertThat(passedBy(p.decide(linked("bob", "00u42", null, false), ASKED)))
        .isEqualTo(Rule.USERS);
    assertThat(p.decide(linked("bob", "00u43", null, false), ASKED).rule())
        .isEqualTo(Rule.NOT_AN_APPROVER);
  }

  @Test
  void anUpstreamAndSubjectEntryNeverMatchesALocalUsernameThatLooksLikeIt() {
    ApproverPolicy p = approvers(Set.of(), Set.of(), Set.of("corp:00u42"));
    assertThat(p.decide(local("corp:00u42", null), ASKED).rule()).isEqualTo(Rule.NOT_AN_APPROVER);
  }

  @Test
  void aPlainNameNeverNamesAnUpstreamAccountWhoseUpstreamChoseThatUsername() {
    ApproverPolicy p = approvers(Set.of(), Set.of(), Set.of("alice"));
    assertThat(p.decide(linked("alice", "00u99", null, false), ASKED).rule())
        .isEqualTo(Rule.NOT_AN_APPROVER);
  }

  @Test
  void aPersonPassesByAnyOneList() {
    ApproverPolicy p = approvers(Set.of("ops"), Set.of("corp.example"), Set.of("alice"));
    assertThat(passedBy(p.decide(local("alice", "alice@elsewhere.example"), ASKED)))
        .isEqualTo(Rule.USERS);
  }

  @Test
  void aScopeWhoseGroupsThePersonIsNotInIsRemovedAndTheRestKept() {
    ApproverPolicy p =
        new ApproverPolicy(Set.of(), Set.of(), Set.of(), Map.of("inventory:write", Set.of("ops")));
    Decision d = p.decide(local("dev", null, "dev"), ASKED);
    assertThat(d)
        .isEqualTo(
            new Allowed(
                Rule.ANYONE,
                Scope.of("openid", "inventory:read"),
                Map.of("inventory:write", Set.of("ops"))));
    assertThat(((Allowed) p.decide(local("op", null, "ops"), ASKED)).scope()).isEqualTo(ASKED);
  }

  @Test
  void whenNothingGrantableRemainsTheApprovalIsRefusedByScopeGroups() {
    ApproverPolicy p =
        new ApproverPolicy(Set.of(), Set.of(), Set.of(), Map.of("inventory:write", Set.of("ops")));
    Decision alone = p.decide(local("dev", null), Scope.of("inventory:write"));
    assertThat(alone.rule()).isEqualTo(Rule.SCOPE_GROUPS);
    assertThat(((Refused) alone).audit()).contains("scope_groups").contains("inventory:write");
    // offline_access alone is no access: it only keeps the rest alive.
    assertThat(p.decide(local("dev", null), Scope.of("inventory:write", "offline_access")).rule())
        .isEqualTo(Rule.SCOPE_GROUPS);
  }

  @Test
  void anOutsiderIsRefusedByTheApproversRuleBeforeAnyScopeIsConsidered() {
    ApproverPolicy p =
        new ApproverPolicy(
            Set.of("ops"), Set.of(), Set.of(), Map.of("inventory:write", Set.of("ops")));
    assertThat(p.decide(local("dev", null), Scope.of("inventory:write")).rule())
        .isEqualTo(Rule.NOT_AN_APPROVER);
  }
}
