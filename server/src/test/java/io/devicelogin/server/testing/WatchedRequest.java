package io.devicelogin.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.server.store.AuditEvent;
import java.util.List;
import java.util.function.Supplier;

/**
 * A request sent while its effects are watched: the store is read just before it, and the server's
 * log lines are kept while it is answered, so that a test can prove it changed nothing.
 *
 * @param <T> what the request answers
 */
public final class WatchedRequest<T> {
  private final TestServer server;
  private final T answer;
  private final StoreSnapshot before;
  private final List<String> errors;
  private final List<String> withControlCharacters;

  private WatchedRequest(
      TestServer server,
      T answer,
      StoreSnapshot before,
      List<String> errors,
      List<String> withControlCharacters) {
    this.server = server;
    this.answer = answer;
    this.before = before;
    this.errors = errors;
    this.withControlCharacters = withControlCharacters;
  }

  /** Sends {@code request} to {@code server}, watched; everything it needs must exist already. */
  public static <T> WatchedRequest<T> send(TestServer server, Supplier<T> request) {
    StoreSnapshot.settle(server);
    StoreSnapshot before = StoreSnapshot.of(server);
    try (LogCapture logs = LogCapture.start()) {
      T answer = request.get();
      return new WatchedRequest<>(
          server, answer, before, logs.errors(), logs.withControlCharacters());
    }
  }

  public T answer() {
    return answer;
  }

  /**
   * Asserts that the store holds what it held before the request, but for new audit rows of exactly
   * the types {@code audited}, and that the server logged no error and no control character.
   */
  public void assertChangedNothing(AuditEvent.Type... audited) {
    StoreSnapshot.of(server).assertUnchangedSince(before, audited);
    assertThat(errors).as("errors logged").isEmpty();
    assertThat(withControlCharacters).as("log lines with control characters").isEmpty();
  }
}
