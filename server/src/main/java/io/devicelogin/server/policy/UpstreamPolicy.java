package io.devicelogin.server.policy;

import io.devicelogin.client.Secret;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An upstream OpenID Connect provider people may sign in with, as the configuration file's {@code
 * "upstreams"} describes it ({@link UpstreamsFile}).
 *
 * @param name the short name in URLs ({@code /login/NAME}) and on linked accounts, {@code
 *     [a-z0-9-]}
 * @param displayName what the button says after "Sign in with"
 * @param issuer the provider's issuer, exactly as its ID tokens and discovery document say it
 * @param clientSecret the secret of a confidential client, from the environment or a file; empty
 *     for a public client, which proves itself with PKCE alone
 * @param scopes what is asked for; always holds {@code openid}
 * @param allowedEmailDomains when not empty, only e-mail addresses of these domains may sign in
 * @param requireVerifiedEmail whether the provider must say the e-mail address is verified
 */
public record UpstreamPolicy(
    String name,
    String displayName,
    String issuer,
    String clientId,
    Optional<Secret> clientSecret,
    List<String> scopes,
    Claims claims,
    List<String> allowedEmailDomains,
    boolean requireVerifiedEmail,
    Provisioning provisioning) {

  public UpstreamPolicy {
    Objects.requireNonNull(name);
    Objects.requireNonNull(issuer);
    Objects.requireNonNull(clientId);
    scopes = List.copyOf(scopes);
    allowedEmailDomains =
        allowedEmailDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
  }

  /** The names of the ID token's claims that fill in the account. */
  public record Claims(String username, String email, String name, String groups) {
    public static final Claims DEFAULTS =
        new Claims("preferred_username", "email", "name", "groups");
  }

  /** Who may sign in through the upstream. */
  public enum Provisioning {
    /** Anyone the upstream signs in; the first sign-in creates the account. */
    AUTOMATIC,
    /** Only the accounts created beforehand with this upstream and subject. */
    INVITE
  }

  /** Whether an e-mail address passes {@code allowed_email_domains}. */
  public boolean allowsDomainOf(Optional<String> email) {
    if (allowedEmailDomains.isEmpty()) {
      return true;
    }
    return email
        .filter(e -> e.lastIndexOf('@') > 0)
        .map(e -> e.substring(e.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT))
        .filter(allowedEmailDomains::contains)
        .isPresent();
  }
}
