package io.devicelogin.server.identity;

import io.devicelogin.client.Secret;
import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.store.User;
import io.devicelogin.server.store.UserStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Local users: creation, password checks, status. */
public final class UserService {
  private final UserStore store;
  private final PasswordHasher hasher;
  private final Clock clock;

  /**
   * Verified against when the user does not exist, so that timing does not tell which names exist:
   * same format and cost as a real hash, so the same Argon2 work, but made without deriving one (a
   * derivation here cost every start of the server about 0.3 s).
   */
  private final String decoyHash;

  public UserService(Jdbc jdbc, PasswordHasher hasher, Clock clock) {
    this.store = new UserStore(jdbc);
    this.hasher = hasher;
    this.clock = clock;
    this.decoyHash = hasher.decoy();
  }

  public User create(
      String username, String displayName, String email, Secret password, boolean admin) {
    String id = UUID.randomUUID().toString();
    store.insert(id, username, hasher.hash(password), displayName, email, admin, clock.instant());
    return find(id).orElseThrow();
  }

  public Optional<User> find(String id) {
    return store.find(id);
  }

  public Optional<User> findByUsername(String username) {
    return store.findByUsername(username);
  }

  public List<User> all() {
    return store.all();
  }

  /**
   * The user whose name and password these are, if the account exists; whether it is active is for
   * the caller to check and say.
   */
  public Optional<User> authenticate(String username, Secret password) {
    Optional<String> stored = store.passwordHash(username);
    boolean ok = hasher.verify(password, stored.orElse(decoyHash)) && stored.isPresent();
    return ok ? findByUsername(username) : Optional.empty();
  }

  public void setStatus(String userId, User.Status status) {
    store.setStatus(userId, status);
  }

  public void setPassword(String userId, Secret password) {
    store.setPasswordHash(userId, hasher.hash(password));
  }
}
