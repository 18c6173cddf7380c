package io.devicelogin.client.flow;

import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.wire.Scope;
import java.time.Duration;

/**
 * Progress of a login, for a user interface. Every method has an empty default; callbacks run on
 * the polling thread and should return quickly.
 */
public interface LoginListener {
  /** A listener that ignores everything. */
  LoginListener NONE = new LoginListener() {};

  /** The server issued the codes: time to show the user code and the verification URI. */
  default void codeIssued(DeviceAuthorization authorization) {}

  /** A poll was answered, or failed. */
  default void polled(PollEvent event) {}

  /** The polling interval changed after {@code slow_down}. */
  default void intervalChanged(Duration from, Duration to) {}

  /**
   * The server granted more than was asked for (RFC 6749 §3.3 lets it). A caller that wants least
   * privilege should warn the person, or revoke.
   */
  default void scopeWidened(Scope requested, Scope granted) {}
}
