package io.devicelogin.client.testing;

import io.devicelogin.client.DeviceAuthorization;
import io.devicelogin.client.flow.LoginListener;
import io.devicelogin.client.flow.PollEvent;
import io.devicelogin.client.flow.PollOutcome;
import io.devicelogin.client.wire.Scope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that records every callback, for tests to look at afterwards. */
public final class RecordingListener implements LoginListener {
  public final List<DeviceAuthorization> issued = new CopyOnWriteArrayList<>();
  public final List<PollEvent> polls = new CopyOnWriteArrayList<>();

  /** Each change as [from, to]. */
  public final List<List<Duration>> intervalChanges = new CopyOnWriteArrayList<>();

  /** Each widening as [requested, granted]. */
  public final List<List<Scope>> widened = new CopyOnWriteArrayList<>();

  @Override
  public void codeIssued(DeviceAuthorization authorization) {
    issued.add(authorization);
  }

  @Override
  public void polled(PollEvent event) {
    polls.add(event);
  }

  @Override
  public void intervalChanged(Duration from, Duration to) {
    intervalChanges.add(List.of(from, to));
  }

  @Override
  public void scopeWidened(Scope requested, Scope granted) {
    widened.add(List.of(requested, granted));
  }

  public List<PollOutcome> outcomes() {
    return polls.stream().map(PollEvent::outcome).toList();
  }
}
