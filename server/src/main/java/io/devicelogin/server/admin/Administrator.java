package io.devicelogin.server.admin;

import io.devicelogin.server.protocol.Origin;

/**
 * Who made an administrative change, as the audit trail names them.
 *
 * @param actor {@code admin:<username>} for a person on /admin; {@code cli:<OS user>} for {@code
 *     devicelogin server users …}, which works on the database directly and signs in as no account,
 *     so the operating system's account that ran it is the one name there is
 * @param origin the address and browser of a page's request; none for the command
 */
public record Administrator(String actor, Origin origin) {
  /** A person signed in to /admin as {@code username}. */
  public static Administrator onThePages(String username, Origin origin) {
    return new Administrator("admin:" + username, origin);
  }

  /** The command line, run by the operating system's account {@code osUser}. */
  public static Administrator commandLine(String osUser) {
    return new Administrator("cli:" + osUser, new Origin(null, "devicelogin server users"));
  }
}
