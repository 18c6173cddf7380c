package io.devicelogin.server.device;

import io.devicelogin.client.Secret;
import io.devicelogin.client.wire.TokenResponse;
import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.grant.TokenService;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.DeviceAuthorizationRecord;
import io.devicelogin.server.store.DeviceAuthorizationStore;
import io.devicelogin.server.store.Grant;
import io.devicelogin.server.store.Jdbc;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The polls of the token endpoint with a device code (RFC 8628 §3.4–3.5): {@code
 * authorization_pending} and {@code slow_down} while the person has not answered, then {@code
 * access_denied}, {@code expired_token}, or the tokens, once.
 *
 * <p>A pending poll is one statement by the unique index on the device code's hash, made by the
 * {@link PollClock}: on H2 a read of one column (its timing lives in memory), on PostgreSQL a
 * conditional update of the code's row (its timing lives there, shared by every instance). Every
 * other poll reads the whole row. The one poll that receives tokens wins a conditional {@code
 * UPDATE … WHERE status = 'APPROVED'}; any other presentation of a redeemed code is a replay and
 * revokes the grant the code produced.
 */
record DeviceCodePolls(
    Jdbc jdbc,
    DeviceAuthorizationStore store,
    TokenService tokens,
    AuditLog audit,
    PollClock pollClock,
    Expiry expiry,
    Clock clock) {

  /** See {@link DeviceAuthorizationService#poll}. */
  TokenResponse poll(Secret deviceCode, ClientPolicy client, Origin origin) {
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
        expiry.expire(record);
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
          .map(DeviceCodePolls::answer)
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
            c ->
                store.redeem(c, record.id(), now)
                    ? tokens.issueForGrant(c, record.grantId(), client, origin, afterCommit)
                    : null);
    if (response == null) {
      // Another poll redeemed it first (a replay), or the sweeper expired it in the meantime.
      DeviceAuthorizationRecord current = store.find(record.id()).orElse(record);
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
