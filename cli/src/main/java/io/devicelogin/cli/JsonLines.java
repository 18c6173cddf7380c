package io.devicelogin.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.flow.LoginListener;
import io.devicelogin.client.flow.PollEvent;
import io.devicelogin.client.wire.Json;
import io.devicelogin.client.wire.Scope;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code login --json}: one JSON object per line on standard output: the code event, then the
 * outcome. Never a token or a device code. Every event goes to the login screen too, first.
 */
final class JsonLines implements LoginListener {
  private final PrintStream out;
  private final LoginListener screen;

  JsonLines(PrintStream out, LoginListener screen) {
    this.out = out;
    this.screen = screen;
  }

  @Override
  public void codeIssued(DeviceAuthorization a) {
    screen.codeIssued(a);
    ObjectNode line =
        Json.newObject()
            .put("event", "code")
            .put("user_code", a.userCode())
            .put("verification_uri", a.verificationUri().toString());
    a.verificationUriComplete().ifPresent(u -> line.put("verification_uri_complete", u.toString()));
    line.put("expires_at", a.expiresAt().toString());
    line.put("interval", a.interval().toSeconds());
    emit(line);
  }

  @Override
  public void polled(PollEvent event) {
    screen.polled(event);
  }

  @Override
  public void intervalChanged(Duration from, Duration to) {
    screen.intervalChanged(from, to);
  }

  @Override
  public void scopeWidened(Scope requested, Scope granted) {
    screen.scopeWidened(requested, granted);
  }

  void approved(String subject, Scope scope, Instant expiresAt, String store) {
    ObjectNode line = Json.newObject().put("event", "approved");
    if (subject != null) {
      line.put("subject", subject);
    }
    line.put("scope", scope.format());
    if (expiresAt != null) {
      line.put("expires_at", expiresAt.toString());
    }
    line.put("store", store);
    emit(line);
  }

  void failed(String error, String message, int exitCode) {
    emit(
        Json.newObject()
            .put("event", "error")
            .put("error", error)
            .put("message", message)
            .put("exit_code", exitCode));
  }

  private void emit(ObjectNode line) {
    synchronized (out) {
      out.println(Json.write(line));
      out.flush();
    }
  }
}
