package io.devicelogin.server.policy;

import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.protocol.StandardScope;
import io.devicelogin.server.store.User;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may approve a client's sign-ins, and which scopes each person may delegate: a client's {@code
 * "approvers"} and {@code "scope_groups"} in the configuration file.
 *
 * <p>A person is an approver when any list matches: one of their groups is in {@code groups}; their
 * e-mail address is at one of {@code emailDomains} (exactly that domain, not its subdomains), and,
 * for an account linked to an upstream, verified there (a local account's address was entered by an
 * administrator, so it is trusted); or {@code users} names them ({@link User#isNamedBy}: a plain
 * name a local account only, {@code upstream:subject} a linked one). With no list at all, anyone
 * with an active account may approve.
 *
 * <p>A scope named in {@code scopeGroups} may be delegated only by a member of one of its groups;
 * from anyone else's approval it is removed, and when nothing grantable remains (nothing but {@code
 * offline_access}) the approval is refused.
 *
 * @param groups groups whose members may approve; empty for no such rule
 * @param emailDomains e-mail domains, lower case, whose people may approve; empty for no such rule
 * @param users usernames and {@code upstream:subject} pairs who may approve; empty for no such rule
 * @param scopeGroups for a scope, the groups of which a person must be in one to delegate it
 */
public record ApproverPolicy(
    Set<String> groups,
    Set<String> emailDomains,
    Set<String> users,
    Map<String, Set<String>> scopeGroups) {

  /** Anyone with an active account approves every scope. */
  public static final ApproverPolicy ANYONE =
      new ApproverPolicy(Set.of(), Set.of(), Set.of(), Map.of());

  public ApproverPolicy {
    groups = Set.copyOf(groups);
    emailDomains =
        emailDomains.stream()
            .map(d -> d.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    users = Set.copyOf(users);
    Map<String, Set<String>> copy = new LinkedHashMap<>();
    scopeGroups.forEach((scope, needed) -> copy.put(scope, Set.copyOf(needed)));
    scopeGroups = Collections.unmodifiableMap(copy);
  }

  /** The rule a decision names: in the audit trail and, in words, on the person's page. */
  public enum Rule {
    /** No {@code approvers} lists: any active account. */
    ANYONE("anyone with an account"),
    GROUPS("approvers.groups"),
    EMAIL_DOMAINS("approvers.email_domains"),
    USERS("approvers.users"),
    /** The person matched none of the {@code approvers} lists. */
    NOT_AN_APPROVER("approvers"),
    /** Every scope asked for needs a group the person is not in. */
    SCOPE_GROUPS("scope_groups");

    private final String configName;

    Rule(String configName) {
      this.configName = configName;
    }

    /** The member of the configuration file that decided. */
    public String configName() {
      return configName;
    }
  }

  /** The outcome for one person and one requested scope. */
  public sealed interface Decision permits Allowed, Refused {
    Rule rule();
  }

  /**
   * The person may approve {@code scope}: the scope asked for without {@code removed}.
   *
   * @param rule the approvers rule the person passed by
   * @param removed each scope taken out, with the groups it needs
   */
  public record Allowed(Rule rule, Scope scope, Map<String, Set<String>> removed)
      implements Decision {
    public Allowed {
      removed = Collections.unmodifiableMap(new LinkedHashMap<>(removed));
    }
  }

  /**
   * The person may not approve.
   *
   * @param rule {@link Rule#NOT_AN_APPROVER} or {@link Rule#SCOPE_GROUPS}
   * @param audit for the audit trail (administrators): the rule and what the person lacked
   */
  public record Refused(Rule rule, String audit) implements Decision {}

  /** Whether any of the {@code approvers} lists is set. */
  public boolean restrictsApprovers() {
    return !groups.isEmpty() || !emailDomains.isEmpty() || !users.isEmpty();
  }

  /** What {@code person} may do with a request for {@code requested}. */
  public Decision decide(User person, Scope requested) {
    Objects.requireNonNull(person);
    Optional<Rule> passed = approverRule(person);
    if (passed.isEmpty()) {
      return new Refused(
          Rule.NOT_AN_APPROVER, "outside the client's approvers: " + String.join(", ", describe()));
    }
    Map<String, Set<String>> removed = new LinkedHashMap<>();
    List<String> kept = new ArrayList<>();
    for (String scope : requested.tokens()) {
      Set<String> needed = scopeGroups.get(scope);
      if (needed == null || person.groups().stream().anyMatch(needed::contains)) {
        kept.add(scope);
      } else {
        removed.put(scope, needed);
      }
    }
    Scope granted = Scope.of(kept);
    if (!removed.isEmpty()
        && granted.without(Scope.of(StandardScope.OFFLINE_ACCESS.token())).isEmpty()) {
      return new Refused(
          Rule.SCOPE_GROUPS,
          "scope_groups: not in a group that may delegate " + String.join(" ", removed.keySet()));
    }
    return new Allowed(passed.get(), granted, removed);
  }

  private Optional<Rule> approverRule(User person) {
    if (!restrictsApprovers()) {
      return Optional.of(Rule.ANYONE);
    }
    if (person.groups().stream().anyMatch(groups::contains)) {
      return Optional.of(Rule.GROUPS);
    }
    if (emailDomainMatches(person)) {
      return Optional.of(Rule.EMAIL_DOMAINS);
    }
    if (named(person)) {
      return Optional.of(Rule.USERS);
    }
    return Optional.empty();
  }

  private boolean emailDomainMatches(User person) {
    if (emailDomains.isEmpty() || person.email().isEmpty()) {
      return false;
    }
    // An upstream's address counts only once the upstream has verified it; a local account's
    // address was typed by an administrator.
    if (person.link().isPresent() && !person.emailVerified()) {
      return false;
    }
    String email = person.email().get();
    int at = email.lastIndexOf('@');
    return at > 0 && emailDomains.contains(email.substring(at + 1).toLowerCase(Locale.ROOT));
  }

  private boolean named(User person) {
    return users.stream().anyMatch(person::isNamedBy);
  }

  /** The lists that are set, for the audit trail. */
  private List<String> describe() {
    List<String> out = new ArrayList<>();
    if (!groups.isEmpty()) {
      out.add("no group in approvers.groups");
    }
    if (!emailDomains.isEmpty()) {
      out.add("no verified e-mail address at a domain in approvers.email_domains");
    }
    if (!users.isEmpty()) {
      out.add("not named in approvers.users");
    }
    return out;
  }
}
