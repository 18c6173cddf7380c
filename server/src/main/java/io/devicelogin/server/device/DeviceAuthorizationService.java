package io.devicelogin.server.device;

import io.devicelogin.client.Secret;
import io.devicelogin.client.wire.DeviceAuthorizationResponse;
import io.devicelogin.client.wire.Scope;
import io.devicelogin.client.wire.TokenResponse;
import io.devicelogin.server.audit.AuditEvent;
import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.grant.Grant;
import io.devicelogin.server.grant.TokenService;
import io.devicelogin.server.identity.User;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.policy.ClientRegistry;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.store.StoreException;
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
  private static final String SELECT = "SELECT * FROM device_authorizations";

  private final Jdbc jdbc;
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
      jdbc.update(
          "UPDATE device_authorizations SET live_user_code = NULL WHERE live_user_code = ? AND expires_at <= ?",
          candidate,
          now);
      try {
        jdbc.update(
            "INSERT INTO device_authorizations (id, device_code_hash, user_code, live_user_code, client_id, scope,"
                + " status, interval_seconds, created_at, expires_at, request_ip, request_user_agent)"
                + " VALUES (?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?)",
            id,
            Hashing.sha256(deviceCode),
            candidate,
            candidate,
            client.clientId(),
            Scope.of(scope).format(),
            (int) client.pollInterval().toSeconds(),
            now,
            expires,
            origin.ip(),
            truncate(origin.userAgent()));
        userCode = candidate;
      } catch (StoreException e) {
        // The user code is live for another authorization: draw again.
      }
    }
    if (userCode == null) {
      throw new IllegalStateException("no free user code after 10 draws");
    }
    audit.record(
        AuditEvent.of(AuditEvent.Type.DEVICE_CODE_ISSUED)
            .actor("client:" + client.clientId())
            .client(client.clientId())
            .scope(Scope.of(scope).format())
            .ip(origin.ip())
            .userAgent(origin.userAgent())
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
    return jdbc.queryOne(
        SELECT + " WHERE live_user_code = ? AND status = 'PENDING' AND expires_at > ?",
        DeviceAuthorizationRecord::map,
        normalisedUserCode,
        clock.instant());
  }

  public Optional<DeviceAuthorizationRecord> find(String id) {
    return jdbc.queryOne(SELECT + " WHERE id = ?", DeviceAuthorizationRecord::map, id);
  }

  /**
   * The person approves. Fails if the account cannot approve, or the authorization is no longer
   * pending or has expired (checked in the same statement that changes it).
   *
   * @return the grant id
   */
  public String approve(String id, User user, Origin approver, String sessionRef) {
    if (!user.isActive()) {
      throw new IllegalStateException("this account cannot approve sign-ins");
    }
    DeviceAuthorizationRecord record =
        find(id).orElseThrow(() -> new IllegalStateException("unknown request"));
    ClientPolicy client =
        clients
            .find(record.clientId())
            .orElseThrow(() -> new IllegalStateException("the client is no longer registered"));
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
              int changed =
                  Jdbc.update(
                      c,
                      "UPDATE device_authorizations SET status = 'APPROVED', live_user_code = NULL, user_id = ?, decided_at = ?,"
                          + " decision_ip = ?, decision_user_agent = ?, grant_id = ? WHERE id = ? AND status = 'PENDING'"
                          + " AND expires_at > ?",
                      user.id(),
                      now,
                      approver.ip(),
                      truncate(approver.userAgent()),
                      gid,
                      id,
                      now);
              if (changed != 1) {
                throw new IllegalStateException(
                    "this request has already been answered or has expired");
              }
              return gid;
            });
    audit.record(
        AuditEvent.of(AuditEvent.Type.APPROVED)
            .actor("user:" + user.username())
            .user(user.id())
            .client(record.clientId())
            .scope(record.scopeString())
            .ip(approver.ip())
            .userAgent(approver.userAgent())
            .session(sessionRef)
            .deviceAuthorization(id)
            .grant(grantId)
            .detail("requested from " + record.requestIp()));
    return grantId;
  }

  /** The person denies. */
  public void deny(String id, User user, Origin approver, String sessionRef) {
    DeviceAuthorizationRecord record =
        find(id).orElseThrow(() -> new IllegalStateException("unknown request"));
    Instant now = clock.instant();
    int changed =
        jdbc.update(
            "UPDATE device_authorizations SET status = 'DENIED', live_user_code = NULL, user_id = ?, decided_at = ?,"
                + " decision_ip = ?, decision_user_agent = ? WHERE id = ? AND status = 'PENDING' AND expires_at > ?",
            user.id(),
            now,
            approver.ip(),
            truncate(approver.userAgent()),
            id,
            now);
    if (changed != 1) {
      throw new IllegalStateException("this request has already been answered or has expired");
    }
    audit.record(
        AuditEvent.of(AuditEvent.Type.DENIED)
            .actor("user:" + user.username())
            .user(user.id())
            .client(record.clientId())
            .scope(record.scopeString())
            .ip(approver.ip())
            .userAgent(approver.userAgent())
            .session(sessionRef)
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
        jdbc.queryOne(SELECT + " WHERE device_code_hash = ?", DeviceAuthorizationRecord::map, hash)
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
              int won =
                  Jdbc.update(
                      c,
                      "UPDATE device_authorizations SET status = 'REDEEMED' WHERE id = ?"
                          + " AND status = 'APPROVED' AND expires_at > ?",
                      record.id(),
                      now);
              return won == 1
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
    List<DeviceAuthorizationRecord> expired =
        jdbc.query(
            SELECT + " WHERE status IN ('PENDING', 'APPROVED') AND expires_at <= ?",
            DeviceAuthorizationRecord::map,
            now);
    int n = 0;
    for (DeviceAuthorizationRecord record : expired) {
      if (expire(record)) {
        n++;
      }
    }
    return n;
  }

  /** How many authorizations are waiting for a person. */
  public long pendingCount() {
    return jdbc.count(
        "SELECT COUNT(*) FROM device_authorizations WHERE status = 'PENDING' AND expires_at > ?",
        clock.instant());
  }

  private boolean expire(DeviceAuthorizationRecord record) {
    int changed =
        jdbc.update(
            "UPDATE device_authorizations SET status = 'EXPIRED', live_user_code = NULL WHERE id = ?"
                + " AND status IN ('PENDING', 'APPROVED')",
            record.id());
    if (changed == 1) {
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
    return changed == 1;
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
        AuditEvent.of(AuditEvent.Type.REPLAY_DETECTED)
            .actor("client:" + record.clientId())
            .client(record.clientId())
            .user(record.userId())
            .deviceAuthorization(record.id())
            .grant(record.grantId())
            .ip(origin.ip())
            .userAgent(origin.userAgent())
            .detail("a redeemed device code was presented again"));
    if (record.grantId() != null) {
      tokens.revokeGrant(record.grantId(), "system", "device code replayed", origin);
    }
  }

  private static String truncate(String userAgent) {
    return userAgent == null || userAgent.length() <= 512 ? userAgent : userAgent.substring(0, 512);
  }
}
