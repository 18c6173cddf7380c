package io.devicelogin.server.web;

import java.util.List;

/**
 * What each template shows, already in words: the templates only lay it out (and JTE escapes every
 * value). Public because the precompiled templates live in another package.
 */
public final class Views {
  private Views() {}

  /**
   * The frame around every page.
   *
   * @param username the signed-in user, or null
   * @param csrf this session's CSRF token for the sign-out form, or null without a session
   * @param section which navigation entry is the current page: device, account, admin, login or
   *     null
   */
  public record Frame(
      String title,
      String stylesheet,
      String username,
      boolean admin,
      String csrf,
      String section) {
    public boolean signedIn() {
      return username != null && csrf != null;
    }

    public boolean current(String name) {
      return name.equals(section);
    }
  }

  /** A link offered on a message page. */
  public record Link(String href, String text) {}

  /** A page that only says something: an error, a refusal, a confirmation. */
  public record Message(String heading, List<String> paragraphs, List<Link> links, boolean error) {}

  /**
   * The page where the person types the code.
   *
   * @param code what to pre-fill, or null
   * @param prefilled whether it came from the link the terminal showed
   * @param error a heading saying what went wrong, or null
   * @param hint what to do about it, or null
   */
  public record EnterCode(String code, boolean prefilled, String error, String hint) {}

  /** Too many wrong codes: when to come back. */
  public record Lockout(
      String retryAt, String retryIn, int allowed, int allowedFromNetwork, String window) {}

  /**
   * The sign-in page: a button per upstream identity provider, and the password form unless {@code
   * passwords} is false ({@code "local_accounts": false}).
   */
  public record Login(
      String username,
      String next,
      String error,
      boolean continuingSignIn,
      List<UpstreamButton> upstreams,
      boolean passwords) {}

  /** "Sign in with …": where the button goes ({@code /login/NAME?next=…}) and what it says. */
  public record UpstreamButton(String href, String displayName) {}

  /**
   * The password asked for again before an administrator's action: where to go on to ({@code
   * next}), and the grant to revoke then, if that was the action. An administrator whose account
   * comes from an identity provider has no password here and signs in there again instead ({@code
   * signInAgain}, else null).
   */
  public record ConfirmPassword(
      String next,
      String grant,
      String window,
      String pending,
      String error,
      UpstreamButton signInAgain) {}

  /** A scope with what it lets the client do, in plain words. */
  public record Scope(String name, String description) {}

  /** The question: approve this device authorization or deny it. */
  public record Consent(
      String requestId,
      String clientName,
      String clientId,
      List<Scope> scopes,
      String userCode,
      String requestedAgo,
      String requestedAt,
      String requestIp,
      String userAgent,
      String approverIp,
      boolean ipDiffers,
      String expiresIn,
      String username,
      String deviceName,
      List<Scope> removed) {}

  /** After the decision. */
  public record Decided(boolean approved, String clientName, String username) {}

  /**
   * One grant on the account or admin page.
   *
   * @param status active, revoked or expired (also the CSS class)
   */
  public record GrantCard(
      String id,
      String username,
      String clientName,
      String clientId,
      List<Scope> scopes,
      String status,
      boolean revocable,
      String requestedAt,
      String requestedAgo,
      String requestIp,
      String requestUserAgent,
      String approvedAt,
      String approvedAgo,
      String approveIp,
      String approveUserAgent,
      String lastUsed,
      String revoked,
      String deviceName) {

    /** "Active", "Revoked" or "Expired". */
    public String statusLabel() {
      return Character.toUpperCase(status.charAt(0)) + status.substring(1);
    }
  }

  /**
   * One grant and the person behind it, for an administrator following a token's {@code gid}.
   *
   * @param account the username, and {@code upstream:subject} for a linked account
   * @param signIn how the approver had signed in: upstream or password, RFC 8176 methods
   */
  public record AdminGrant(
      GrantCard grant,
      String account,
      String accountStatus,
      String email,
      String signIn,
      String authTime,
      String deviceAuthorizationId) {}

  /**
   * "Your CLI sessions".
   *
   * @param signedInWith "Corp SSO as 00u1ab…" for an account linked to an upstream, or null
   */
  public record Account(
      String username, List<GrantCard> grants, String notice, String signedInWith) {}

  /** One audit event on the admin page. */
  public record AuditRow(
      String at,
      String event,
      String actor,
      String user,
      String client,
      String scope,
      String ip,
      String userAgent,
      String session,
      String grant,
      String detail) {}

  /** The admin page: grants and audit trail, filtered. */
  public record Admin(
      String userFilter,
      String clientFilter,
      String filterNote,
      List<GrantCard> grants,
      List<AuditRow> audit,
      int limit,
      String notice,
      List<PauseRow> pauses) {}

  /**
   * A paused browser session or address group on the admin page.
   *
   * @param kind {@code session} or {@code address}, as the lift form posts it
   * @param key the session's ref or the address group, as the lift form posts it
   */
  public record PauseRow(
      String limit, String kind, String key, String shown, String until, String untilIn) {}

  /** The people page of /admin: accounts, searched, with what an administrator may do to each. */
  public record AdminUsers(String search, List<UserRow> rows, String notice, int limit) {}

  /**
   * An account on the people page.
   *
   * @param status {@code active}, {@code disabled} or {@code locked}, its badge's class
   * @param admin {@code yes}, {@code yes (config)} or {@code no}
   * @param flagged whether its administrator flag is set (what make and unmake admin change)
   * @param grantsHref /admin filtered by this account
   */
  public record UserRow(
      String username,
      String name,
      String email,
      String status,
      String admin,
      boolean flagged,
      String upstream,
      String lastSignIn,
      int activeGrants,
      String grantsHref) {
    public boolean active() {
      return status.equals("active");
    }
  }
}
