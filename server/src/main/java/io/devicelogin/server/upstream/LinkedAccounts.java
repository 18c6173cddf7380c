package io.devicelogin.server.upstream;

import com.nimbusds.jwt.JWTClaimsSet;
import io.devicelogin.server.identity.UserService;
import io.devicelogin.server.policy.UpstreamPolicy;
import io.devicelogin.server.store.StoreException;
import io.devicelogin.server.store.User;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The account an upstream sign-in lands in: the one linked to {@code (upstream, subject)}, never
 * one found by e-mail address or username (either may be another person's at another provider).
 * With {@code "provisioning": "automatic"} the first sign-in creates it, named after the username
 * claim (with {@code -2}, {@code -3}… when the name is taken); with {@code "invite"} only an
 * account created beforehand ({@link UserService#invite}) may sign in. The upstream's rules on
 * e-mail are checked before anything is created or changed; the name, e-mail and groups are then
 * refreshed.
 */
final class LinkedAccounts {
  /** The username and display name columns' sizes. */
  private static final int LONGEST_USERNAME = 100;

  private static final int LONGEST_NAME = 200;
  private static final int LONGEST_EMAIL = 255;

  /** The groups column's size: groups past it are left out. */
  private static final int LONGEST_GROUPS = 4000;

  private static final int NAME_TRIES = 50;

  private final UserService users;

  LinkedAccounts(UserService users) {
    this.users = users;
  }

  /** What an ID token says of the person, through the upstream's claim names. */
  record Person(
      User.Link link,
      Optional<String> username,
      Optional<String> name,
      Optional<String> email,
      boolean emailVerified,
      List<String> groups) {

    static Person of(UpstreamPolicy upstream, JWTClaimsSet claims) {
      UpstreamPolicy.Claims names = upstream.claims();
      return new Person(
          new User.Link(upstream.name(), claims.getSubject()),
          text(claims, names.username(), LONGEST_USERNAME),
          text(claims, names.name(), LONGEST_NAME),
          text(claims, names.email(), LONGEST_EMAIL),
          verified(claims.getClaim("email_verified")),
          groupsOf(claims.getClaim(names.groups())));
    }
  }

  /**
   * The account of this person, refreshed; a disabled or locked account is returned unchanged, for
   * the caller to refuse.
   *
   * @throws io.devicelogin.server.protocol.OAuthProblem {@code access_denied} naming the rule that
   *     keeps the person out
   */
  User signIn(UpstreamPolicy upstream, Person person) {
    if (upstream.requireVerifiedEmail() && (person.email().isEmpty() || !person.emailVerified())) {
      throw UpstreamProblems.refused(
          upstream.displayName()
              + " did not say that your e-mail address is verified, and this server accepts only"
              + " verified addresses from it (require_verified_email)");
    }
    if (!upstream.allowsDomainOf(person.email())) {
      throw UpstreamProblems.refused(
          "only e-mail addresses of "
              + String.join(", ", upstream.allowedEmailDomains())
              + " may sign in through "
              + upstream.displayName()
              + " (allowed_email_domains), and yours is "
              + person.email().orElse("not given"));
    }
    Optional<User> linked = users.findByLink(person.link());
    if (linked.isEmpty()) {
      if (upstream.provisioning() == UpstreamPolicy.Provisioning.INVITE) {
        throw UpstreamProblems.refused(
            "only invited people may sign in through "
                + upstream.displayName()
                + " (provisioning: invite), and there is no account for "
                + person.link()
                + "; ask an administrator to invite you");
      }
      linked = Optional.of(create(person));
    }
    User user = linked.get();
    if (!user.isActive()) {
      return user;
    }
    return users.signedInThroughUpstream(
        user.id(),
        person.name().orElse(user.displayName()),
        person.email(),
        person.emailVerified(),
        person.groups());
  }

  private User create(Person person) {
    String base = baseUsername(person);
    for (int i = 1; i <= NAME_TRIES; i++) {
      String suffix = i == 1 ? "" : "-" + i;
      String candidate =
          base.substring(0, Math.min(base.length(), LONGEST_USERNAME - suffix.length())) + suffix;
      if (users.findByUsername(candidate).isPresent()) {
        continue;
      }
      try {
        return users.invite(
            person.link(), candidate, person.name().orElse(candidate), person.email());
      } catch (StoreException e) {
        if (!e.isUniqueViolation()) {
          throw e;
        }
        // The same person's first sign-in in another tab, or the name taken a moment ago.
        Optional<User> raced = users.findByLink(person.link());
        if (raced.isPresent()) {
          return raced.get();
        }
      }
    }
    throw UpstreamProblems.refused(
        "no free username could be found for " + person.link() + "; ask an administrator");
  }

  private static String baseUsername(Person person) {
    return person
        .username()
        .or(person::email)
        .orElse(person.link().upstream() + "-" + person.link().subject());
  }

  private static Optional<String> text(JWTClaimsSet claims, String name, int longest) {
    Object value = claims.getClaim(name);
    if (!(value instanceof String s)) {
      return Optional.empty();
    }
    String t = s.strip().replaceAll("\\p{Cntrl}", "");
    return t.isEmpty()
        ? Optional.empty()
        : Optional.of(t.length() <= longest ? t : t.substring(0, longest));
  }

  /** {@code email_verified} is a boolean; some providers send the string {@code "true"}. */
  private static boolean verified(Object value) {
    return Boolean.TRUE.equals(value) || "true".equals(value);
  }

  /** A list of strings (or one string), each without line breaks, as many as the column holds. */
  private static List<String> groupsOf(Object value) {
    Collection<?> values =
        value instanceof Collection<?> c ? c : value instanceof String s ? List.of(s) : List.of();
    List<String> groups = new ArrayList<>();
    int length = 0;
    for (Object v : values) {
      if (!(v instanceof String g) || g.isBlank() || g.contains("\n") || g.contains("\r")) {
        continue;
      }
      length += g.length() + 1;
      if (length > LONGEST_GROUPS) {
        break;
      }
      groups.add(g);
    }
    return groups;
  }
}
