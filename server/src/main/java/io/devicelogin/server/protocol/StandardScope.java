package io.devicelogin.server.protocol;

import io.devicelogin.client.wire.Scope;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The scopes every devicelogin server knows: what each releases (OpenID Connect Core §5.4 for
 * {@code profile} and {@code email}, §11 for {@code offline_access}) and how the consent and
 * account pages put it in words. One table for both, so that what a person approves and what {@code
 * /userinfo} releases cannot drift apart.
 */
public enum StandardScope {
  OPENID("Confirm who you are (your account identifier)", List.of("sub")),
  PROFILE(
      "See your name and username",
      List.of(
          "name",
          "family_name",
          "given_name",
          "middle_name",
          "nickname",
          "preferred_username",
          "profile",
          "picture",
          "website",
          "gender",
          "birthdate",
          "zoneinfo",
          "locale",
          "updated_at")),
  EMAIL("See your email address", List.of("email", "email_verified")),
  /** Releases no claim: it asks for a refresh token, which is a grant's, not a person's data. */
  OFFLINE_ACCESS("Stay signed in: keep access after this session, until you revoke it", List.of());

  private final String description;
  private final List<String> claims;

  StandardScope(String description, List<String> claims) {
    this.description = description;
    this.claims = claims;
  }

  /** The scope token, as on the wire: the constant's name in lower case. */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** What approving it lets a program do, in plain words, for the pages. */
  public String description() {
    return description;
  }

  /** The claims it releases at {@code /userinfo}. */
  public List<String> claims() {
    return claims;
  }

  /** The standard scope of {@code token}, if it is one. */
  public static Optional<StandardScope> of(String token) {
    for (StandardScope s : values()) {
      if (s.token().equals(token)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The claims {@code scope} releases: those of each standard scope it holds, and no others. */
  public static Set<String> claimsReleasedBy(Scope scope) {
    Set<String> released = new LinkedHashSet<>();
    for (String token : scope) {
      of(token).ifPresent(s -> released.addAll(s.claims));
    }
    return released;
  }

  /** Whether {@code scope} holds this one. */
  public boolean isIn(Scope scope) {
    return scope.contains(token());
  }
}
