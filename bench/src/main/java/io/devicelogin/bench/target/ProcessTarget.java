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

  /** A process that answered, with its endpoints and the time from its start to that answer. */
  record Started(
      Process process, URI deviceAuthorizationEndpoint, URI tokenEndpoint, Duration startup) {}

  private final String name;
  private final Started started;
  private final Duration stopGrace;

  /**
   * @param stopGrace how long the process may take to end after a polite signal before it is ended
   *     forcibly
   */
  ProcessTarget(String name, Started started, Duration stopGrace) {
    this.name = name;
    this.started = started;
    this.stopGrace = stopGrace;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public URI deviceAuthorizationEndpoint() {
    return started.deviceAuthorizationEndpoint();
  }

  @Override
  public URI tokenEndpoint() {
    return started.tokenEndpoint();
  }

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

  @Override
  public Duration startup() {
    return started.startup();
  }

  /** A polite signal to the process and everything it started, a forcible one after the grace. */
  @Override
  public void close() {
    PeerProcess.stop(started.process(), stopGrace);
  }
}
