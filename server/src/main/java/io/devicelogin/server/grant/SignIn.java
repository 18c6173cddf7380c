package io.devicelogin.server.grant;

import io.devicelogin.server.store.BrowserSession;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How the approver signed in, as the approving browser session remembers it: what a grant keeps,
 * and every token of the grant says, as {@code idp}, {@code amr} and {@code auth_time}.
 *
 * @param idp the upstream's name; empty for a local password
 * @param amr RFC 8176 method words, such as {@code pwd}; empty if unknown
 * @param authenticatedAt when the person last authenticated in that session
 */
public record SignIn(Optional<String> idp, List<String> amr, Optional<Instant> authenticatedAt) {
  /** An approval with no session to tell (services and tests approving directly). */
  public static final SignIn UNKNOWN = new SignIn(Optional.empty(), List.of(), Optional.empty());

  public SignIn {
    amr = List.copyOf(amr);
  }

  /** The sign-in of a browser session. */
  public static SignIn of(BrowserSession session) {
    List<String> amr =
        session
            .amr()
            .map(String::trim)
            .filter(a -> !a.isEmpty())
            .map(a -> List.of(a.split(" +")))
            .orElse(List.of());
    return new SignIn(session.idp(), amr, session.authenticatedAt());
  }
}
