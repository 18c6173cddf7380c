package io.devicelogin.server.store;

import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.protocol.Origin;
import java.time.Instant;
import java.util.Optional;

/**
 * One state change, as stored and logged. Never a secret: ids, names, addresses, scopes.
 *
 * @param actor who caused it: {@code user:<username>}, {@code client:<client_id>}, {@code
 *     admin:<username>}, {@code system}
 * @param idp the upstream identity provider the person came through, if any
 * @param idpSubject the person's subject at that provider
 */
public record AuditEvent(
    long id,
    Instant at,
    Type event,
    String actor,
    String userId,
    String clientId,
    String scope,
    String ip,
    String userAgent,
    String sessionRef,
    String deviceAuthorizationId,
    String grantId,
    String detail,
    String idp,
    String idpSubject) {

  /** An event of no upstream identity provider. */
  public AuditEvent(
      long id,
      Instant at,
      Type event,
      String actor,
      String userId,
      String clientId,
      String scope,
      String ip,
      String userAgent,
      String sessionRef,
      String deviceAuthorizationId,
      String grantId,
      String detail) {
    this(
        id,
        at,
        event,
        actor,
        userId,
        clientId,
        scope,
        ip,
        userAgent,
        sessionRef,
        deviceAuthorizationId,
        grantId,
        detail,
        null,
        null);
  }

  /** The state changes that are audited. */
  public enum Type {
    DEVICE_CODE_ISSUED,
    USER_CODE_ENTERED,
    USER_CODE_WRONG,
    SIGNED_IN,
    SIGN_IN_FAILED,
    APPROVED,
    DENIED,
    EXPIRED,
    TOKENS_ISSUED,
    REFRESHED,
    REPLAY_DETECTED,
    REVOKED,
    RATE_LIMITED,
    /**
     * An administrator lifted the pause of a session or an address group: earlier attempts of it no
     * longer count.
     */
    PAUSE_LIFTED,
    /** An administrator created an account ({@code devicelogin server users add} or /admin). */
    ACCOUNT_CREATED,
    /** An administrator disabled an account; its grants were revoked with it. */
    ACCOUNT_DISABLED,
    ACCOUNT_ENABLED,
    /**
     * An administrator unlocked an account: a LOCKED one is active again, and its failed sign-ins
     * before this no longer delay its next one.
     */
    ACCOUNT_UNLOCKED,
    /** An administrator deleted an account; its grants were revoked, its audit events stay. */
    ACCOUNT_DELETED,
    /** An administrator set a new password for an account. */
    PASSWORD_RESET,
    ADMIN_GRANTED,
    ADMIN_REMOVED
  }

  /** Who made an attempt, as an attempt limit counts them: by browser session or address group. */
  public enum Who {
    SESSION,
    /** The address group ({@link io.devicelogin.server.protocol.AddressGroup}) of the address. */
    ADDRESS_GROUP
  }

  /**
   * A builder for an event {@code actor} caused ({@code system}, {@code admin:<username>}…; null
   * for none); the audit log stamps the time.
   */
  public static Builder by(Type type, String actor) {
    Builder b = new Builder(type);
    b.actor = actor;
    return b;
  }

  /** An event a client caused: {@code client:<client_id>} its actor. */
  public static Builder byClient(Type type, String clientId) {
    return by(type, "client:" + clientId).client(clientId);
  }

  /**
   * An event a person caused in a browser session, from {@code origin}: signed in as {@code person}
   * ({@code user:<username>} its actor), or not signed in (empty, no actor).
   */
  public static Builder inSession(
      Type type, Optional<User> person, Origin origin, String sessionRef) {
    Builder b =
        by(type, person.map(u -> "user:" + u.username()).orElse(null))
            .user(person.map(User::id).orElse(null))
            .origin(origin);
    b.sessionRef = sessionRef;
    // Whoever stands behind an account from an identity provider is named on each of its events.
    person.flatMap(User::link).ifPresent(b::upstream);
    return b;
  }

  /**
   * An administrator ({@code admin:<username>} the actor) lifted the pause of a browser session:
   * the session is the event's, so that the attempt limits count its attempts from here on.
   */
  public static Builder pauseLiftedForSession(String adminUsername, String sessionRef) {
    Builder b = by(Type.PAUSE_LIFTED, "admin:" + adminUsername);
    b.sessionRef = sessionRef;
    return b;
  }

  /**
   * An administrator lifted the pause of an address group ({@code 203.0.113.7}, {@code
   * 2001:db8:1:2::/64}): the group is the event's address, so that its address group is itself.
   */
  public static Builder pauseLiftedForAddressGroup(String adminUsername, String addressGroup) {
    Builder b = by(Type.PAUSE_LIFTED, "admin:" + adminUsername);
    b.ip = addressGroup;
    return b;
  }

  /**
   * Fills in an event. The actor, the session and the address with the user agent are set together
   * by the factories and {@link #origin}, the rest one by one.
   */
  public static final class Builder {
    private final Type type;
    private String actor;
    private String userId;
    private String clientId;
    private String scope;
    private String ip;
    private String userAgent;
    private String sessionRef;
    private String deviceAuthorizationId;
    private String grantId;
    private String detail;
    private String idp;
    private String idpSubject;

    private Builder(Type type) {
      this.type = type;
    }

    public Builder user(String v) {
      userId = v;
      return this;
    }

    /** The address and user agent of whoever sent the request. */
    public Builder origin(Origin origin) {
      ip = origin.ip();
      userAgent = Columns.userAgent(origin.userAgent());
      return this;
    }

    public Builder client(String v) {
      clientId = v;
      return this;
    }

    /** The scope asked for or granted, in its space-separated form. */
    public Builder scope(Scope v) {
      scope = v.format();
      return this;
    }

    public Builder deviceAuthorization(String v) {
      deviceAuthorizationId = v;
      return this;
    }

    public Builder detail(String v) {
      detail = v == null || v.length() <= 1000 ? v : v.substring(0, 1000);
      return this;
    }

    public Builder grant(String v) {
      grantId = v;
      return this;
    }

    /** The upstream identity provider and the subject there of the person it concerns. */
    public Builder upstream(User.Link link) {
      idp = link.upstream();
      idpSubject = link.subject();
      return this;
    }

    /** The event as it happened at {@code at}; its id is the store's to give (0 until then). */
    public AuditEvent at(Instant at) {
      return new AuditEvent(
          0,
          at,
          type,
          actor,
          userId,
          clientId,
          scope,
          ip,
          userAgent,
          sessionRef,
          deviceAuthorizationId,
          grantId,
          detail,
          idp,
          idpSubject);
    }
  }
}
