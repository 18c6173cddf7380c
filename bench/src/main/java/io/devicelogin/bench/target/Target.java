package io.devicelogin.bench.target;

import java.net.URI;
import java.time.Duration;

/**
 * An authorization server under load, running in its own process: devicelogin, or a peer it is
 * compared with. The harness starts it, sends it OAuth requests over real sockets, reads its
 * process's memory, and closes it.
 */
public interface Target extends AutoCloseable {
  /** A short name with the version, for the results table, such as {@code Keycloak 26.7.3}. */
  String name();

  /** The RFC 8628 §3.1 device authorization endpoint. */
  URI deviceAuthorizationEndpoint();

  /** The RFC 6749 §3.2 token endpoint. */
  URI tokenEndpoint();

  /**
   * The body of a device authorization request (application/x-www-form-urlencoded), with the public
   * client's id and a scope the server grants, such as {@code client_id=bench&scope=openid}.
   */
  String deviceAuthorizationForm();

  /** The public client's id, sent with every poll. */
  String clientId();

  /** The server's process, whose resident memory the harness reads. */
  long pid();

  /** From the start of the process to its first successful answer. */
  Duration startup();

  /** Stops the process (and waits for it to end). */
  @Override
  void close();
}
