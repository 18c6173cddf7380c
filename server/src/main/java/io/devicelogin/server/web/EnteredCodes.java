package io.devicelogin.server.web;

import io.devicelogin.server.audit.AuditLog;
import io.devicelogin.server.store.AuditEvent;
import java.util.regex.Pattern;

/**
 * Which device authorizations a browser session has entered the user code of. Only that session may
 * see the consent page of an authorization and decide it, so that knowing (or guessing) an
 * authorization's id is worth nothing without its user code.
 *
 * <p>The fact is the {@code USER_CODE_ENTERED} audit event the session wrote, which every instance
 * sees.
 */
final class EnteredCodes {
  private static final Pattern ID = Pattern.compile("[0-9a-fA-F-]{1,36}");

  private final AuditLog audit;

  EnteredCodes(AuditLog audit) {
    this.audit = audit;
  }

  static boolean looksLikeId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  boolean by(String sessionRef, String deviceAuthorizationId) {
    if (!looksLikeId(deviceAuthorizationId)) {
      return false;
    }
    return audit.existsBySession(
        AuditEvent.Type.USER_CODE_ENTERED, sessionRef, deviceAuthorizationId);
  }
}
