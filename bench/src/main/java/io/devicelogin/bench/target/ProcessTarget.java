package io.devicelogin.bench.target;

import java.net.URI;
import java.time.Duration;

/**
 * What every target is once its process answers: the process, the two endpoints the load uses, how
 * long it took to start, and how it is stopped. Every target registers the same public client.
 */
abstract class ProcessTarget implements Target {
  /** The public client's id, on every server. */
  static final String CLIENT_ID = "bench-cli";

  /**
   * A process that answered, with its endpoints and the time from its start to that answer.
   *
   * @param stopGrace how long the process may take to end after a polite signal before it is ended
   *     forcibly
   */
  record Started(
      Process process,
      Duration stopGrace,
      URI deviceAuthorizationEndpoint,
      URI tokenEndpoint,
      Duration startup) {
    /** A polite signal to the process and everything it started, a forcible one after the grace. */
    void stop() {
      PeerProcess.stop(process, stopGrace);
    }
  }

  private final String name;
  private final Started started;

  ProcessTarget(String name, Started started) {
    this.name = name;
    this.started = started;
  }

  @Override
  public String name() {
    return name;
  }

  /** As the discovery document names it, or the server's own path on devicelogin. */
  @Override
  public URI deviceAuthorizationEndpoint() {
    return started.deviceAuthorizationEndpoint();
  }

  @Override
  public URI tokenEndpoint() {
    return started.tokenEndpoint();
  }

  /** The public client and the one scope every server grants it. */
  @Override
  public String deviceAuthorizationForm() {
    return "client_id=" + CLIENT_ID + "&scope=openid";
  }

  @Override
  public String clientId() {
    return CLIENT_ID;
  }

  /** The process started, unless a subclass knows that another one serves. */
  @Override
  public long pid() {
    return started.process().pid();
  }

  /** Timed from just before the process was spawned. */
  @Override
  public Duration startup() {
    return started.startup();
  }

  @Override
  public void close() {
    started.stop();
  }
}
