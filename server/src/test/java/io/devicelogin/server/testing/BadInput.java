package io.devicelogin.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.server.store.AuditEvent;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * One row of a table of bad requests: the rule it proves (its name in the report), the request made
 * from what the row is given, the answer it must get, and the audit rows the server adds on
 * purpose. The request is made before the store is read, so what it needs (codes, tokens, a
 * session) must be made by then, not while it is sent.
 *
 * @param <G> what a row's request may use, made for that row alone
 * @param <A> the answer, as the table reads it
 */
public record BadInput<G, A>(
    String rule, Function<G, Supplier<A>> request, Consumer<A> answer, AuditEvent.Type... audited) {

  public static <G, A> BadInput<G, A> row(
      String rule,
      Function<G, Supplier<A>> request,
      Consumer<A> answer,
      AuditEvent.Type... audited) {
    return new BadInput<>(rule, request, answer, audited);
  }

  /**
   * Sends the row's request to {@code server}, watched, and asserts that the answer is no 5xx and
   * is the row's, and that nothing changed in the store but for the row's audit rows.
   */
  public void assertRefusedAndChangesNothing(TestServer server, G given, ToIntFunction<A> status) {
    WatchedRequest<A> sent = WatchedRequest.send(server, request.apply(given));
    assertThat(status.applyAsInt(sent.answer()))
        .as("never a 5xx: %s", sent.answer())
        .isLessThan(500);
    answer.accept(sent.answer());
    sent.assertChangedNothing(audited);
  }

  @Override
  public String toString() {
    return rule;
  }
}
