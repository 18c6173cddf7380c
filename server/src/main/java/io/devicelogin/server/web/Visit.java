package io.devicelogin.server.web;

import io.devicelogin.server.identity.SessionTickets.Ticket;
import io.devicelogin.server.protocol.Origin;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.store.BrowserSession;
import io.devicelogin.server.store.User;
import java.util.Optional;

/**
 * This request's browser session and, if signed in, its user. A session not stored yet is a signed
 * {@code ticket} in the cookie (no form posted yet): it has a ref and a CSRF token, never a user.
 */
record Visit(BrowserSession session, Optional<User> user, Optional<Ticket> ticket) {

  Visit(BrowserSession session, Optional<User> user) {
    this(session, user, Optional.empty());
  }

  boolean stored() {
    return ticket.isEmpty();
  }

  String ref() {
    return session.ref();
  }

  boolean signedIn() {
    return user.isPresent();
  }

  /** An audit event of this visit: by its person if signed in, from {@code origin}. */
  AuditEvent.Builder event(AuditEvent.Type type, Origin origin) {
    return AuditEvent.inSession(type, user, origin, ref());
  }
}
