package io.devicelogin.server.device;

import io.devicelogin.client.Secret;
import io.devicelogin.client.wire.DeviceAuthorizationResponse;
import io.devicelogin.client.wire.Scope;
import io.devicelogin.client.wire.TokenResponse;
import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.grant.SignIn;
import io.devicelogin.server.grant.TokenService;
import io.devicelogin.server.policy.ApproverPolicy;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.policy.ClientRegistry;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.DeviceAuthorizationRecord;
import io.devicelogin.server.store.DeviceAuthorizationStore;
import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.store.StoreException;
import io.devicelogin.server.store.User;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The device authorization grant's state machine: issue (RFC 8628 §3.1–3.2), the person's decision
 * (§3.3), the polls ({@link DeviceCodePolls}, §3.4–3.5) and the end of codes that ran out of time
 * ({@link Expiry}).
 */
public final class DeviceAuthorizationService {
  private final Jdbc jdbc;
  private final DeviceAuthorizationStore store;
  private final ClientRegistry clients;
  private final TokenService tokens;
  private final AuditLog audit;
  private final DeviceCodePolls polls;
  private final Expiry expiry;
  private final UserCodeGenerator userCodes;
  private final SecureRandom random;
  private final Clock clock;
  private final URI verificationUri;

  public DeviceAuthorizationService(
      Jdbc jdbc,
      ClientRegistry clients,
      TokenService tokens,
      AuditLog audit,
      PollClock pollClock,
      SecureRandom random,
      Clock clock,
      URI verificationUri) {
    this.jdbc = jdbc;
    this.store = new DeviceAuthorizationStore(jdbc);
    this.clients = clients;
    this.tokens = tokens;
    this.audit = audit;
    this.expiry = new Expiry(store, tokens, audit);
    this.polls = new DeviceCodePolls(jdbc, store, tokens, audit, pollClock, expiry, clock);
    this.userCodes = new UserCodeGenerator(random);
    this.random = random;
    this.clock = clock;
    this.verificationUri = verificationUri;
  }

  /** The device authorization request of {@code client} for {@code scope} (already checked). */
  public DeviceAuthorizationResponse issue(ClientPolicy client, Scope scope, Origin origin) {
    return issue(client, scope, Optional.empty(), origin);
  }

  /**
   * As {@link #issue(ClientPolicy, Scope, Origin)}, with the host and OS the client named, kept as
   * {@link DeviceName#clean} leaves it.
   */
  public DeviceAuthorizationResponse issue(
      ClientPolicy client, Scope scope, Optional<String> deviceName, Origin origin) {
    String device = deviceName.flatMap(DeviceName::clean).orElse(null);
    Secret deviceCode = Hashing.newSecret(random);
    String id = UUID.randomUUID().toString();
    Instant now = clock.instant();
    Instant expires = now.plus(client.deviceCodeLifetime());
    String userCode = null;
    for (int attempt = 0; attempt < 10 && userCode == null; attempt++) {
      String candidate = userCodes.next();
      // A code that expired still holds its place among live codes until swept; free it first.
      store.freeExpiredUserCode(candidate, now);
      try {
        store.insertPending(
            new DeviceAuthorizationRecord(
                id,
                Hashing.sha256(deviceCode),
                candidate,
                client.clientId(),
                scope,
                DeviceAuthorizationRecord.Status.PENDING,
                client.pollInterval(),
                now,
                expires,
                origin.ip(),
                origin.userAgent(),
                null,
                null,
                null,
                null,
                null,
                device));
        userCode = candidate;
      } catch (StoreException e) {
        // The user code is live for another authorization: draw again.
      }
    }
    if (userCode == null) {
      throw new IllegalStateException("no free user code after 10 draws");
    }
    audit.record(
        AuditEvent.byClient(AuditEvent.Type.DEVICE_CODE_ISSUED, client.clientId())
            .scope(scope)
            .origin(origin)
            .deviceAuthorization(id));
    String display = UserCodeGenerator.display(userCode);
    URI complete = URI.create(verificationUri + "?user_code=" + display);
    return new DeviceAuthorizationResponse(
        deviceCode,
        display,
        verificationUri,
        complete,
        client.deviceCodeLifetime(),
        client.pollInterval());
  }

  /** The authorization a person's (normalised) user code names, if it can still be decided. */
  public Optional<DeviceAuthorizationRecord> findLive(String normalisedUserCode) {
    return store.findLive(normalisedUserCode, clock.instant());
  }

  /**
   * Whether a (normalised) user code was ever issued: one that {@link #findLive} does not find has
   * then expired, been used or been denied, and typing it is no guess.
   */
  public boolean wasIssued(String normalisedUserCode) {
    return store.issuedWith(normalisedUserCode);
  }

  public Optional<DeviceAuthorizationRecord> find(String id) {
    return store.find(id);
  }

  /**
   * Whether {@code user} may approve the authorization {@code id}, by its client's {@link
   * ApproverPolicy}. A person outside it ends the request: it is denied (the waiting client gets
   * {@code access_denied}, RFC 8628 §3.5) and the audit names the rule. Asked when the consent page
   * is shown and again when it is answered, since the account's groups may change in between.
   */
  public ApproverPolicy.Decision mayApprove(
      String id, User user, Origin approver, String sessionRef) {
    DeviceAuthorizationRecord record = find(id).orElseThrow(OAuthProblem::unknownAuthorization);
    ClientPolicy client =
        clients.find(record.clientId()).orElseThrow(OAuthProblem::clientNoLongerRegistered);
    ApproverPolicy.Decision decision = client.approvers().decide(user, record.scope());
    if (decision instanceof ApproverPolicy.Refused refused) {
      if (store.deny(id, user.id(), clock.instant(), approver)) {
        audit.record(
            AuditEvent.inSession(AuditEvent.Type.DENIED, Optional.of(user), approver, sessionRef)
                .client(record.clientId())
                .scope(record.scope())
                .deviceAuthorization(id)
                .detail(
                    "refused by the client's "
                        + refused.rule().configName()
                        + " rule: "
                        + refused.audit()));
      }
    }
    return decision;
  }

  /**
   * The person approves, with no record of how they signed in. See {@link #approve(String, User,
   * Origin, String, SignIn)}.
   */
  public String approve(String id, User user, Origin approver, String sessionRef) {
    return approve(id, user, approver, sessionRef, SignIn.UNKNOWN);
  }

  /**
   * The person approves, signed in as {@code signIn} says. Fails if the account cannot approve, if
   * the client's approver policy refuses the person (the request is then denied, see {@link
   * #mayApprove}), or the authorization is no longer pending or has expired (checked in the same
   * statement that changes it). The grant holds the scope asked for less the scopes the person may
   * not delegate.
   *
   * @return the grant id
   */
  public String approve(String id, User user, Origin approver, String sessionRef, SignIn signIn) {
    if (!user.isActive()) {
      throw OAuthProblem.accountCannotApprove();
    }
    DeviceAuthorizationRecord record = find(id).orElseThrow(OAuthProblem::unknownAuthorization);
    ClientPolicy client =
        clients.find(record.clientId()).orElseThrow(OAuthProblem::clientNoLongerRegistered);
    if (!(mayApprove(id, user, approver, sessionRef) instanceof ApproverPolicy.Allowed allowed)) {
      throw OAuthProblem.notAnApprover();
    }
    Instant now = clock.instant();
    String grantId =
        jdbc.transaction(
            c -> {
              String gid =
                  tokens.createGrant(
                      c, record, user.id(), client, approver, allowed.scope(), signIn);
              if (!store.approve(c, id, user.id(), now, approver, gid)) {
                throw OAuthProblem.alreadyDecided();
              }
              return gid;
            });
    String removed =
        allowed.removed().isEmpty()
            ? ""
            : "; removed by scope_groups: " + String.join(" ", allowed.removed().keySet());
    audit.record(
        AuditEvent.inSession(AuditEvent.Type.APPROVED, Optional.of(user), approver, sessionRef)
            .client(record.clientId())
            .scope(allowed.scope())
            .deviceAuthorization(id)
            .grant(grantId)
            .detail("requested from " + record.requestIp() + removed));
    return grantId;
  }

  /** The person denies. */
  public void deny(String id, User user, Origin approver, String sessionRef) {
    DeviceAuthorizationRecord record = find(id).orElseThrow(OAuthProblem::unknownAuthorization);
    Instant now = clock.instant();
    if (!store.deny(id, user.id(), now, approver)) {
      throw OAuthProblem.alreadyDecided();
    }
    audit.record(
        AuditEvent.inSession(AuditEvent.Type.DENIED, Optional.of(user), approver, sessionRef)
            .client(record.clientId())
            .scope(record.scope())
            .deviceAuthorization(id));
  }

  /** Marks expired authorizations and frees their user codes; returns how many. */
  public int sweepExpired() {
    return expiry.sweep(clock.instant());
  }

  /**
   * A poll of the token endpoint with the device code grant (RFC 8628 §3.4–3.5).
   *
   * @throws OAuthProblem with {@code authorization_pending}, {@code slow_down}, {@code
   *     access_denied}, {@code expired_token} or {@code invalid_grant}
   */
  public TokenResponse poll(Secret deviceCode, ClientPolicy client, Origin origin) {
    return polls.poll(deviceCode, client, origin);
  }

  /** How many authorizations are waiting for a person. */
  public long pendingCount() {
    return store.countPending(clock.instant());
  }
}
