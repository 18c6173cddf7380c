package io.devicelogin.server;

import io.devicelogin.server.admin.UserAdministration;
import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.grant.TokenService;
import io.devicelogin.server.identity.HashingSlots;
import io.devicelogin.server.identity.PasswordHasher;
import io.devicelogin.server.identity.SignInDelay;
import io.devicelogin.server.identity.UserService;
import io.devicelogin.server.policy.ClientRegistry;
import io.devicelogin.server.startup.StartupException;
import io.devicelogin.server.store.Jdbc;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * The server's services without its HTTP side, for {@code devicelogin server users …}: the database
 * of the same options as the server's ({@code --data-dir}, or {@code --db-url} with {@code
 * DEVICELOGIN_DB_USER}/{@code DEVICELOGIN_DB_PASSWORD}), migrated as the server migrates it, and
 * the configuration's {@code "admins"}. On PostgreSQL it works beside running servers; an H2 file
 * is one process's at a time, so a running server's is refused with a one-line message.
 */
public final class Administration implements AutoCloseable {
  private final Storage storage;
  private final UserAdministration users;

  private Administration(Storage storage, UserAdministration users) {
    this.storage = storage;
    this.users = users;
  }

  /**
   * Opens the database of {@code config} (creating and migrating it if need be).
   *
   * @throws StartupException when the configuration file or the database is not usable (an H2 data
   *     directory in use by a running server among them), with a one-line message
   */
  public static Administration open(ServerConfig config, Clock clock, SecureRandom random) {
    ClientRegistry clients = DeviceLoginServer.clients(config);
    Storage storage = Storage.open(config, clock);
    try {
      Jdbc jdbc = new Jdbc(storage.database().dataSource());
      AuditLog audit = new AuditLog(jdbc, clock);
      UserService users =
          new UserService(
              jdbc,
              new PasswordHasher(random),
              HashingSlots.ofDefaults(),
              SignInDelay.ofDefaults(audit, clock),
              clock);
      TokenService tokens =
          new TokenService(
              jdbc,
              storage.keys(),
              clients,
              audit,
              users,
              clock,
              random,
              config.issuerAt(config.port()));
      return new Administration(
          storage, new UserAdministration(users, tokens, audit, clients.admins()));
    } catch (RuntimeException e) {
      storage.database().close();
      throw e;
    }
  }

  public UserAdministration users() {
    return users;
  }

  @Override
  public void close() {
    storage.database().close();
  }
}
