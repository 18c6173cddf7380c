package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.User;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import io.devicelogin.server.web.Terminal.Code;
import io.devicelogin.server.web.Terminal.Poll;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A client's approvers ({@link TestClients#OPS_CLI}: members of {@code ops}; {@code
 * inventory:write} only from {@code ops-writers}) over real HTTP: a person outside the policy is
 * told so, the waiting terminal gets {@code access_denied} (RFC 8628 §3.5) and the audit names the
 * rule; a member approves without the scopes they may not delegate, and is told which.
 */
@ServerOnEachBackend(minutesBeforeEachTest = 1)
class ApproversPagesTest {
  private static final AtomicInteger PEOPLE = new AtomicInteger();

  @ServerUnderTest private static TestServer server;

  private record Person(String username, Secret password) {}

  private static Person person(String... groups) {
    String username = "person" + PEOPLE.incrementAndGet();
    Secret password = server.createUser(username, false);
    setGroups(username, groups);
    return new Person(username, password);
  }

  /**
   * What an upstream sign-in would refresh; there is no other way to give a local account groups.
   */
  private static void setGroups(String username, String... groups) {
    server
        .jdbc()
        .update(
            "UPDATE users SET groups_text = ? WHERE username = ?",
            groups.length == 0 ? null : String.join("\n", groups),
            username);
  }

  /** Enters the code, signs in, and returns the page that follows: consent, or a refusal. */
  private static Page afterSignIn(Browser browser, Code code, Person person) {
    Page entered = Flows.enterCode(browser, code.userCode());
    assertThat(entered.status()).as(entered.text()).isEqualTo(303);
    Page next = browser.follow(entered);
    assertThat(next.location()).hasValueSatisfying(l -> assertThat(l).startsWith("/login"));
    Page signedIn = Flows.signInAt(browser, next, person.username(), person.password());
    assertThat(signedIn.status()).as(signedIn.text()).isEqualTo(303);
    return browser.follow(signedIn);
  }

  private static List<AuditEvent> denials(String username) {
    User user = server.context().users().findByUsername(username).orElseThrow();
    return server.context().audit().find(user.id(), TestClients.OPS_CLI, null, 50).stream()
        .filter(e -> e.event() == AuditEvent.Type.DENIED)
        .toList();
  }

  @Test
  void anOutsiderIsToldSoTheTerminalGetsAccessDeniedAndTheAuditNamesTheRule() {
    Person outsider = person("dev");
    Terminal terminal = new Terminal(server).as(TestClients.OPS_CLI);
    Code code = terminal.requestCode("openid inventory:read");

    Page page = afterSignIn(new Browser(server), code, outsider);

    assertThat(page.status()).isEqualTo(403);
    assertThat(page.text())
        .contains("You can't approve this sign-in")
        .contains("not among the people allowed to approve sign-ins of Ops CLI")
        .contains("members of certain groups")
        .contains("The request has been denied")
        .doesNotContain("ops-writers")
        .doesNotContain("\"ops\"");
    assertThat(page.body()).doesNotContain("name=\"decision\"");
    Poll poll = terminal.poll(code);
    assertThat(poll.status()).isEqualTo(400);
    assertThat(poll.error()).isEqualTo("access_denied");
    assertThat(denials(outsider.username()))
        .singleElement()
        .satisfies(e -> assertThat(e.detail()).contains("approvers").contains("approvers.groups"));
  }

  @Test
  void aMemberApprovesWithoutTheScopeOnlyOtherGroupsMayDelegateAndIsToldWhichAndWhy() {
    Person member = person("ops");
    Terminal terminal = new Terminal(server).as(TestClients.OPS_CLI);
    Code code = terminal.requestCode("openid inventory:read inventory:write");
    Browser browser = new Browser(server);

    Page consent = afterSignIn(browser, code, member);

    assertThat(consent.status()).as(consent.text()).isEqualTo(200);
    assertThat(consent.text())
        .contains("Some of what it asked for is left out")
        .contains("inventory:write")
        .contains("your account is not in them");
    assertThat(Flows.decide(browser, consent, "approve").status()).isEqualTo(200);
    Poll poll = terminal.poll(code);
    assertThat(poll.status()).as(poll.json().toString()).isEqualTo(200);
    assertThat(poll.json().get("scope").asText()).isEqualTo("openid inventory:read");
  }

  @Test
  void aMemberOfTheScopesGroupDelegatesItAndIsToldNothingIsLeftOut() {
    Person writer = person("ops", "ops-writers");
    Terminal terminal = new Terminal(server).as(TestClients.OPS_CLI);
    Code code = terminal.requestCode("openid inventory:write");
    Browser browser = new Browser(server);
    Page consent = afterSignIn(browser, code, writer);
    assertThat(consent.text()).doesNotContain("left out");
    assertThat(Flows.decide(browser, consent, "approve").status()).isEqualTo(200);
    assertThat(terminal.poll(code).json().get("scope").asText())
        .isEqualTo("openid inventory:write");
  }

  @Test
  void whenOnlyScopesThePersonMayNotDelegateWereAskedForTheApprovalIsRefusedByScopeGroups() {
    Person member = person("ops");
    Terminal terminal = new Terminal(server).as(TestClients.OPS_CLI);
    Code code = terminal.requestCode("inventory:write offline_access");

    Page page = afterSignIn(new Browser(server), code, member);

    assertThat(page.status()).isEqualTo(403);
    assertThat(page.text()).contains("needs membership of a group that your account");
    assertThat(terminal.poll(code).error()).isEqualTo("access_denied");
    assertThat(denials(member.username()))
        .singleElement()
        .satisfies(e -> assertThat(e.detail()).contains("scope_groups"));
  }

  @Test
  void thePolicyIsAskedAgainAtApproveForGroupsChangeInBetween() {
    Person member = person("ops");
    Terminal terminal = new Terminal(server).as(TestClients.OPS_CLI);
    Code code = terminal.requestCode("openid");
    Browser browser = new Browser(server);
    Page consent = afterSignIn(browser, code, member);
    assertThat(consent.status()).isEqualTo(200);

    setGroups(member.username());
    Page answer = Flows.decide(browser, consent, "approve");

    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.text()).contains("You can't approve this sign-in");
    assertThat(terminal.poll(code).error()).isEqualTo("access_denied");
    assertThat(
            server
                .context()
                .tokens()
                .grantsOf(
                    server.context().users().findByUsername(member.username()).orElseThrow().id()))
        .isEmpty();
  }

  @Test
  void aClientWithoutApproversIsApprovedByAnyoneWithAnAccountAsBefore() {
    Person anyone = person();
    Terminal terminal = new Terminal(server);
    Code code = terminal.requestCode("openid");
    Browser browser = new Browser(server);
    Page consent = afterSignIn(browser, code, anyone);
    assertThat(consent.status()).isEqualTo(200);
    assertThat(Flows.decide(browser, consent, "approve").status()).isEqualTo(200);
    assertThat(terminal.poll(code).status()).isEqualTo(200);
  }
}
