package io.devicelogin.server.device;

import io.devicelogin.client.Secret;
import io.devicelogin.client.wire.DeviceAuthorizationResponse;
import io.devicelogin.client.wire.TokenResponse;
import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.grant.TokenService;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.policy.ClientRegistry;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.DeviceAuthorizationRecord;
import io.devicelogin.server.store.DeviceAuthorizationStore;
import io.devicelogin.server.store.Grant;
import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.store.StoreException;
import io.devicelogin.server.store.User;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The device authorization grant's state machine: issue (RFC 8628 §3.1–3.2), the person's decision
 * (§3.3), and the polls (§3.4–3.5).
 *
 * <p>A pending poll is one statement by the unique index on the device code's hash, made by the
 * {@link PollClock}: on H2 a read of one column (its timing lives in memory), on PostgreSQL a
 * conditional update of the code's row (its timing lives there, shared by every instance). Every
 * other poll reads the whole row. The one poll that receives tokens wins a conditional {@code
 * UPDATE … WHERE status = 'APPROVED'}; any other presentation of a redeemed code is a replay and
 * revokes the grant the code produced.
 */
public final class DeviceAuthorizationService {
  private final Jdbc jdbc;
  private final DeviceAuthorizationStore store;
  private final ClientRegistry clients;
  private final TokenService tokens;
  private final AuditLog audit;
  private final PollClock pollClock;
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
    this.pollClock = pollClock;
    this.userCodes = new UserCodeGenerator(random);
    this.random = random;
    this.clock = clock;
    this.verificationUri = verificationUri;
  }

  /** The device authorization request of {@code client} for {@code scope} (already checked). */
  public DeviceAuthorizationResponse issue(ClientPolicy client, Set<String> scope, Origin origin) {
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
                null));
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
            .scope(String.join(" ", scope))
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

  public Optional<DeviceAuthorizationRecord> find(String id) {
    return store.find(id);
  }

  /**
   * The person approves. Fails if the account cannot approve, or the authorization is no longer
   * pending or has expired (checked in the same statement that changes it).
   *
   * @return the grant id
   */
  public String approve(String id, User user, Origin approver, String sessionRef) {
    if (!user.isActive()) {
      throw OAuthProblem.accountCannotApprove();
    }
    DeviceAuthorizationRecord record = find(id).orElseThrow(OAuthProblem::unknownAuthorization);
    ClientPolicy client =
        clients.find(record.clientId()).orElseThrow(OAuthProblem::clientNoLongerRegistered);
    Instant now = clock.instant();
    String grantId =
        jdbc.transaction(
            c -> {
              String gid =
                  tokens.createGrant(
                      c,
                      user.id(),
                      client,
                      record.scope(),
                      id,
                      record.createdAt(),
                      record.requestIp(),
                      record.requestUserAgent(),
                      approver);
              if (!store.approve(c, id, user.id(), now, approver, gid)) {
                throw OAuthProblem.alreadyDecided();
              }
              return gid;
            });
    audit.record(
        AuditEvent.inSession(AuditEvent.Type.APPROVED, Optional.of(user), approver, sessionRef)
            .client(record.clientId())
            .scope(record.scopeString())
            .deviceAuthorization(id)
            .grant(grantId)
            .detail("requested from " + record.requestIp()));
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
            .scope(record.scopeString())
            .deviceAuthorization(id));
  }

  /**
   * A poll of the token endpoint with the device code grant (RFC 8628 §3.4–3.5).
   *
   * @throws OAuthProblem with {@code authorization_pending}, {@code slow_down}, {@code
   *     access_denied}, {@code expired_token} or {@code invalid_grant}
   */
  public TokenResponse poll(Secret deviceCode, ClientPolicy client, Origin origin) {
    String hash = Hashing.sha256(deviceCode);
    Instant now = clock.instant();
    // Most polls find the code pending: the poll clock answers those in one statement. Any other
    // state is rare and reads the whole row (it may have moved on in between; the rules below then
    // judge what they see).
    Optional<PollClock.Verdict> pending = pollClock.pollIfPending(hash, client.clientId(), now);
    if (pending.isPresent()) {
      throw answer(pending.get());
    }
    DeviceAuthorizationRecord record =
        store
            .findByDeviceCodeHash(hash)
            .orElseThrow(() -> OAuthProblem.invalidGrant("unknown device code"));
    if (!record.clientId().equals(client.clientId())) {
      throw OAuthProblem.invalidGrant("the device code was issued to another client");
    }
    if (record.status() == DeviceAuthorizationRecord.Status.REDEEMED) {
      // Even after expiry: a redeemed code presented again is a replay, whoever presents it.
      replay(record, origin);
      throw OAuthProblem.invalidGrant("the device code has already been used");
    }
    // expired_token once the code has expired, whatever it was waiting for (denied included).
    if (record.status() == DeviceAuthorizationRecord.Status.EXPIRED || record.isExpiredAt(now)) {
      if (record.status() != DeviceAuthorizationRecord.Status.EXPIRED) {
        expire(record);
      }
      pollClock.forget(hash);
      throw OAuthProblem.expiredToken();
    }
    if (record.status() == DeviceAuthorizationRecord.Status.DENIED) {
      pollClock.forget(hash);
      throw OAuthProblem.accessDenied();
    }
    if (record.status() == DeviceAuthorizationRecord.Status.PENDING) {
      // Not pending for the poll clock a moment ago, pending and unexpired now: no row ever returns
      // to PENDING, so this is not expected; the clock judges it like any pending poll.
      throw pollClock
          .pollIfPending(hash, client.clientId(), now)
          .map(DeviceAuthorizationService::answer)
          .orElseGet(OAuthProblem::pending);
    }
    // APPROVED: exactly one poll wins the conditional update and receives the tokens. The tokens
    // are
    // issued in the same transaction, on the same connection: a concurrent poll's update waits for
    // the row until the winner commits and then matches nothing, so the replay it reports (and the
    // revocation that follows) comes after the winner's tokens, never between its update and them.
    // A failure while issuing rolls the redemption back, and the code can still be redeemed.
    List<Runnable> afterCommit = new ArrayList<>();
    TokenResponse response =
        jdbc.transaction(
            c -> {
              return store.redeem(c, record.id(), now)
                  ? tokens.issueForGrant(c, record.grantId(), client, origin, afterCommit)
                  : null;
            });
    if (response == null) {
      // Another poll redeemed it first (a replay), or the sweeper expired it in the meantime.
      DeviceAuthorizationRecord current = find(record.id()).orElse(record);
      if (current.status() == DeviceAuthorizationRecord.Status.EXPIRED) {
        pollClock.forget(hash);
        throw OAuthProblem.expiredToken();
      }
      replay(current, origin);
      throw OAuthProblem.invalidGrant("the device code has already been used");
    }
    afterCommit.forEach(Runnable::run);
    pollClock.forget(hash);
    return response;
  }

  private static OAuthProblem answer(PollClock.Verdict verdict) {
    return verdict.tooEarly() ? OAuthProblem.slowDown(verdict.interval()) : OAuthProblem.pending();
  }

  /** Marks expired authorizations and frees their user codes; returns how many. */
  public int sweepExpired() {
    Instant now = clock.instant();
    int n = 0;
    for (DeviceAuthorizationRecord record : store.findExpiring(now)) {
      if (expire(record)) {
        n++;
      }
    }
    return n;
  }

  /** How many authorizations are waiting for a person. */
  public long pendingCount() {
    return store.countPending(clock.instant());
  }

  private boolean expire(DeviceAuthorizationRecord record) {
    boolean expired = store.expire(record.id());
    if (expired) {
      audit.record(
          AuditEvent.of(AuditEvent.Type.EXPIRED)
              .actor("system")
              .client(record.clientId())
              .user(record.userId())
              .scope(record.scopeString())
              .deviceAuthorization(record.id())
              .grant(record.grantId()));
      if (record.grantId() != null) {
        tokens.revokeGrant(
            record.grantId(),
            "system",
            "approved but never redeemed before expiry",
            new Origin(null, null));
      }
    }
    return expired;
  }

  private void replay(DeviceAuthorizationRecord record, Origin origin) {
    if (record.grantId() != null
        && tokens.findGrant(record.grantId()).filter(Grant::active).isEmpty()) {
      // The grant is already revoked (by the first replay, or otherwise): nothing left to protect,
      // and recording every later replay would let anyone holding the dead code make the server
      // write.
      return;
    }
    audit.record(
        AuditEvent.byClient(AuditEvent.Type.REPLAY_DETECTED, record.clientId())
            .user(record.userId())
            .deviceAuthorization(record.id())
            .grant(record.grantId())
            .origin(origin)
            .detail("a redeemed device code was presented again"));
    if (record.grantId() != null) {
      tokens.revokeGrant(record.grantId(), "system", "device code replayed", origin);
    }
  }
}
