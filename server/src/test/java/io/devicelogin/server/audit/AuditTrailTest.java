package io.devicelogin.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.testing.IssuedSecrets;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.AuditEvent.Type;
import io.devicelogin.server.testing.OAuthCalls;
import io.devicelogin.server.testing.OAuthCalls.DeviceCode;
import io.devicelogin.server.testing.OAuthCalls.Tokens;
import io.devicelogin.server.testing.ServerOnEachBackend;
import io.devicelogin.server.testing.ServerUnderTest;
import io.devicelogin.server.testing.TestClients;
import io.devicelogin.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every state change of a device authorization or a grant is an audit row with the time, the actor,
 * the client, the scope, the ids and the IP address and user agent it came from: issued, approved,
 * denied, expired, tokens issued, refreshed, replay detected, revoked. No row holds a secret.
 */
@ServerOnEachBackend(minutesBeforeEachTest = 1)
class AuditTrailTest {
  @ServerUnderTest private static TestServer server;
  @ServerUnderTest private static OAuthCalls oauth;

  /** The events of one device authorization or grant, oldest first. */
  private static List<AuditEvent> eventsOf(String deviceAuthorizationId, String grantId) {
    return server.context().audit().find(null, null, null, 1000).stream()
        .filter(
            e ->
                deviceAuthorizationId.equals(e.deviceAuthorizationId())
                    || grantId != null && grantId.equals(e.grantId()))
        .sorted(Comparator.comparingLong(AuditEvent::id))
        .collect(Collectors.toList());
  }

  /** Asserts a trail of exactly a sign-in (code, approval, first tokens), then {@code after}. */
  private static void assertSignInThen(List<AuditEvent> events, Type... after) {
    List<Type> expected =
        new ArrayList<>(List.of(Type.DEVICE_CODE_ISSUED, Type.APPROVED, Type.TOKENS_ISSUED));
    expected.addAll(List.of(after));
    assertThat(types(events)).containsExactlyElementsOf(expected);
  }

  private static List<Type> types(List<AuditEvent> events) {
    return events.stream().map(AuditEvent::event).collect(Collectors.toList());
  }

  private static AuditEvent only(List<AuditEvent> events, Type type) {
    List<AuditEvent> of =
        events.stream().filter(e -> e.event() == type).collect(Collectors.toList());
    assertThat(of).as("%s events", type).hasSize(1);
    return of.get(0);
  }

  @Test
  void aDeviceFlowFromIssueToRevocationLeavesARowForEachStateChange() {
    DeviceCode code = oauth.deviceCode(TestClients.CLI, "openid offline_access");
    String id = server.pending(code.userCode()).id();
    String grantId = server.approve(code.userCode());
    Tokens tokens = OAuthCalls.tokens(oauth.poll(code));
    Tokens refreshed = OAuthCalls.tokens(oauth.refresh(tokens));
    assertThat(oauth.revoke(TestClients.CLI, refreshed.refreshToken(), null).status())
        .isEqualTo(200);

    List<AuditEvent> events = eventsOf(id, grantId);
    assertSignInThen(events, Type.REFRESHED, Type.REVOKED);

    AuditEvent issued = only(events, Type.DEVICE_CODE_ISSUED);
    assertThat(issued.actor()).isEqualTo("client:" + TestClients.CLI);
    assertThat(issued.clientId()).isEqualTo(TestClients.CLI);
    assertThat(issued.scope().split(" ")).containsExactlyInAnyOrder("openid", "offline_access");
    assertThat(issued.ip()).isEqualTo("127.0.0.1");
    assertThat(issued.userAgent()).isEqualTo(OAuthCalls.USER_AGENT);
    assertThat(issued.at()).isEqualTo(server.clock.instant());

    AuditEvent approved = only(events, Type.APPROVED);
    assertThat(approved.actor()).isEqualTo("user:demo");
    assertThat(approved.userId()).isEqualTo(server.demoUser().id());
    assertThat(approved.ip()).isEqualTo(TestServer.APPROVER.ip());
    assertThat(approved.userAgent()).isEqualTo(TestServer.APPROVER.userAgent());
    assertThat(approved.grantId()).isEqualTo(grantId);
    assertThat(approved.detail()).contains("127.0.0.1");

    AuditEvent issuedTokens = only(events, Type.TOKENS_ISSUED);
    assertThat(issuedTokens.grantId()).isEqualTo(grantId);
    assertThat(issuedTokens.deviceAuthorizationId()).isEqualTo(id);
    assertThat(issuedTokens.userId()).isEqualTo(server.demoUser().id());
    assertThat(issuedTokens.ip()).isEqualTo("127.0.0.1");
    assertThat(issuedTokens.userAgent()).isEqualTo(OAuthCalls.USER_AGENT);

    AuditEvent refresh = only(events, Type.REFRESHED);
    assertThat(refresh.ip()).isEqualTo("127.0.0.1");
    assertThat(refresh.userAgent()).isEqualTo(OAuthCalls.USER_AGENT);

    AuditEvent revoked = only(events, Type.REVOKED);
    assertThat(revoked.actor()).isEqualTo("client:" + TestClients.CLI);
    assertThat(revoked.ip()).isEqualTo("127.0.0.1");
    assertThat(revoked.userAgent()).isEqualTo(OAuthCalls.USER_AGENT);
    assertThat(revoked.userId()).isEqualTo(server.demoUser().id());
  }

  @Test
  void aDenyIsAuditedWithWhoDeniedAndFromWhere() {
    DeviceCode code = oauth.deviceCode();
    String id = server.pending(code.userCode()).id();
    server.deny(code.userCode());
    oauth.poll(code);
    List<AuditEvent> events = eventsOf(id, null);
    assertThat(types(events)).containsExactly(Type.DEVICE_CODE_ISSUED, Type.DENIED);
    AuditEvent denied = only(events, Type.DENIED);
    assertThat(denied.actor()).isEqualTo("user:demo");
    assertThat(denied.ip()).isEqualTo(TestServer.APPROVER.ip());
    assertThat(denied.userAgent()).isEqualTo(TestServer.APPROVER.userAgent());
    assertThat(denied.clientId()).isEqualTo(TestClients.CLI);
  }

  @Test
  void anExpiryIsAuditedOnceAndAnUnredeemedGrantsRevocationToo() {
    DeviceCode pending = oauth.deviceCode();
    String pendingId = server.pending(pending.userCode()).id();
    DeviceCode approved = oauth.deviceCode();
    String approvedId = server.pending(approved.userCode()).id();
    String grantId = server.approve(approved.userCode());
    server.clock.advance(Duration.ofMinutes(10));
    oauth.poll(pending);
    oauth.poll(pending);
    server.context().devices().sweepExpired();
    oauth.poll(approved);

    assertThat(types(eventsOf(pendingId, null)))
        .containsExactly(Type.DEVICE_CODE_ISSUED, Type.EXPIRED);
    List<AuditEvent> events = eventsOf(approvedId, grantId);
    assertThat(types(events))
        .containsExactly(Type.DEVICE_CODE_ISSUED, Type.APPROVED, Type.EXPIRED, Type.REVOKED);
    assertThat(only(events, Type.EXPIRED).actor()).isEqualTo("system");
    assertThat(only(events, Type.REVOKED).actor()).isEqualTo("system");
  }

  @Test
  void replaysAreAuditedWithTheAddressTheyCameFrom() {
    DeviceCode code = oauth.deviceCode();
    String id = server.pending(code.userCode()).id();
    String grantId = server.approve(code.userCode());
    OAuthCalls.tokens(oauth.poll(code));
    oauth.poll(code);
    List<AuditEvent> events = eventsOf(id, grantId);
    assertSignInThen(events, Type.REPLAY_DETECTED, Type.REVOKED);
    AuditEvent replay = only(events, Type.REPLAY_DETECTED);
    assertThat(replay.ip()).isEqualTo("127.0.0.1");
    assertThat(replay.userAgent()).isEqualTo(OAuthCalls.USER_AGENT);
    assertThat(replay.detail()).contains("device code");

    Tokens other = oauth.signIn();
    String otherGrant = server.grantIdOf(other.accessToken());
    OAuthCalls.tokens(oauth.refresh(other));
    oauth.refresh(other);
    assertThat(types(server.context().audit().find(null, null, otherGrant, 100)))
        .contains(Type.REPLAY_DETECTED, Type.REVOKED);
  }

  @Test
  void noAuditRowHoldsASecret() {
    Tokens tokens = oauth.signIn();
    OAuthCalls.tokens(oauth.refresh(tokens));
    oauth.refresh(tokens);
    oauth.revoke(TestClients.CLI, tokens.accessToken(), null);
    oauth.introspectAs(
        TestClients.RESOURCE_SERVER, IssuedSecrets.fresh("wrong-"), tokens.accessToken());
    List<AuditEvent> all = server.context().audit().find(null, null, null, 1000);
    assertThat(all).isNotEmpty();
    for (String secret : IssuedSecrets.all()) {
      assertThat(all).as("audit rows").noneMatch(e -> e.toString().contains(secret));
    }
  }
}
