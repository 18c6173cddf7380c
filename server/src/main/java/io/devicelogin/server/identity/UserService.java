package io.devicelogin.server.identity;

import io.devicelogin.client.Secret;
import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.store.User;
import io.devicelogin.server.store.UserStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Local users: creation, password checks, status. Every password hash runs in one of a bounded
 * number of {@link HashingSlots}, and a sign-in of an account that has failed too often waits its
 * {@link SignInDelay} first.
 */
public final class UserService {
  /** An id no account has (ids are UUIDs). */
  private static final String NO_ACCOUNT = "-";

  private final UserStore store;
  private final PasswordHasher hasher;
  private final HashingSlots hashing;
  private final SignInDelay delay;
  private final Clock clock;

  /**
   * Verified against when the user does not exist, so that timing does not tell which names exist:
   * same format and cost as a real hash, so the same Argon2 work, but made without deriving one (a
   * derivation here cost every start of the server about 0.3 s).
   */
  private final String decoyHash;

  public UserService(
      Jdbc jdbc, PasswordHasher hasher, HashingSlots hashing, SignInDelay delay, Clock clock) {
    this.store = new UserStore(jdbc);
    this.hasher = hasher;
    this.hashing = hashing;
    this.delay = delay;
    this.clock = clock;
    this.decoyHash = hasher.decoy();
  }

  public User create(
      String username, String displayName, String email, Secret password, boolean admin) {
    String id = UUID.randomUUID().toString();
    String hash = hashing.run(() -> hasher.hash(password));
    store.insert(id, username, hash, displayName, email, admin, clock.instant());
    return find(id).orElseThrow();
  }

  /**
   * Creates an account linked to an upstream's {@code (upstream, subject)}, without a password: it
   * signs in only through that upstream (an invitation, for {@code "provisioning": "invite"}).
   */
  public User createLinked(
      String username, String displayName, String email, User.Link link, boolean admin) {
    String id = UUID.randomUUID().toString();
    store.insertLinked(id, username, displayName, email, admin, link, clock.instant());
    return find(id).orElseThrow();
  }

  public Optional<User> find(String id) {
    return store.find(id);
  }

  public Optional<User> findByUsername(String username) {
    return store.findByUsername(username);
  }

  /** The account linked to an upstream identity provider's subject, if there is one. */
  public Optional<User> findByLink(User.Link link) {
    return store.findByLink(link);
  }

  /**
   * Creates an account for the person an upstream identity provider knows as {@code link}'s
   * subject, before they first sign in: the way in for an upstream whose provisioning is {@code
   * "invite"}. The account has no password; its name, e-mail and groups are refreshed from the ID
   * token at each sign-in, its username stays.
   *
   * @throws io.devicelogin.server.store.StoreException a unique violation when the username or the
   *     link is taken
   */
  public User invite(User.Link link, String username, String displayName, Optional<String> email) {
    return createLinked(username, displayName, email.orElse(null), link, false);
  }

  /** Records an upstream sign-in of a linked account and what the provider said of the person. */
  public User signedInThroughUpstream(
      String userId,
      String displayName,
      Optional<String> email,
      boolean emailVerified,
      List<String> groups) {
    store.signedInThroughUpstream(
        userId, displayName, email, emailVerified, groups, clock.instant());
    return find(userId).orElseThrow();
  }

  public List<User> all() {
    return store.all();
  }

  /** The accounts whose username, name, e-mail or upstream subject holds {@code text}. */
  public List<User> search(String text, int limit) {
    return store.search(text, limit);
  }

  /**
   * The user whose name and password these are, if the account exists; whether it is active is for
   * the caller to check and say.
   *
   * @throws io.devicelogin.server.protocol.OAuthProblem {@code too_many_requests} while the
   *     account's sign-ins wait after failures, {@code temporarily_unavailable} while every hashing
   *     slot is taken; in both cases the password was not checked
   */
  public Optional<User> authenticate(String username, Secret password) {
    // Asked for a name that is no account too, so that the time taken does not tell which exist.
    delay.check(findByUsername(username).map(User::id).orElse(NO_ACCOUNT));
    Optional<String> stored = store.passwordHash(username);
    boolean ok =
        hashing.run(() -> hasher.verify(password, stored.orElse(decoyHash))) && stored.isPresent();
    if (!ok) {
      return Optional.empty();
    }
    Optional<User> user = findByUsername(username);
    user.ifPresent(u -> store.signedInWithPassword(u.id(), clock.instant()));
    return user.flatMap(u -> find(u.id()));
  }

  /** The slots every password hash of this service runs in. */
  public HashingSlots hashing() {
    return hashing;
  }

  public void setStatus(String userId, User.Status status) {
    store.setStatus(userId, status);
  }

  public void setAdmin(String userId, boolean admin) {
    store.setAdmin(userId, admin);
  }

  /** Removes the account; its grants (revoke them first) and audit events keep its id. */
  public void delete(String userId) {
    store.delete(userId);
  }

  public void setPassword(String userId, Secret password) {
    store.setPasswordHash(userId, hashing.run(() -> hasher.hash(password)));
  }
}
