package io.devicelogin.server.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.devicelogin.server.store.User;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who is an administrator: an account whose flag is set (by {@code devicelogin server users
 * make-admin} or on /admin), or one the configuration's {@code "admins"} names, whatever its flag.
 * A plain name ({@code "alice"}) names a local account, one without an upstream link; an upstream's
 * account is named only by {@code "upstream:subject"}, the key it signs in by, so that a username
 * an upstream chose (its {@code preferred_username}) never makes someone an administrator.
 *
 * @param usernames the local accounts named
 * @param links the upstream accounts named, as {@code upstream:subject}
 */
public record Administrators(Set<String> usernames, Set<String> links) {
  /** No one named in the configuration: the flag alone decides. */
  public static final Administrators NONE = new Administrators(Set.of(), Set.of());

  public Administrators {
    usernames = Set.copyOf(usernames);
    links = Set.copyOf(links);
  }

  /** Whether {@code user} is an administrator: its flag, or named in the configuration. */
  public boolean isAdmin(User user) {
    return user.admin() || named(user);
  }

  /** Whether the configuration names {@code user}, so that its flag cannot take the role away. */
  public boolean named(User user) {
    return usernames.stream().anyMatch(user::isNamedBy) || links.stream().anyMatch(user::isNamedBy);
  }

  /** {@code "admins": ["alice", "corp:0a1b2c"]} of the configuration file; NONE when absent. */
  static Administrators read(JsonNode node, FilePlace file) {
    if (node == null) {
      return NONE;
    }
    FilePlace at = file.in("admins");
    if (!node.isArray()) {
      throw at.problem("must be an array of usernames or \"upstream:subject\" strings");
    }
    Set<String> usernames = new LinkedHashSet<>();
    Set<String> links = new LinkedHashSet<>();
    for (JsonNode entry : node) {
      String text = entry.isTextual() ? entry.asText() : "";
      int colon = text.indexOf(':');
      if (text.isBlank()
          || !text.equals(text.strip())
          || colon == 0
          || colon == text.length() - 1) {
        throw at.problem(
            "each entry must be a username (\"alice\") or an upstream account"
                + " (\"corp:0a1b2c\", the upstream's name and the account's subject)");
      }
      (colon < 0 ? usernames : links).add(text);
    }
    return new Administrators(usernames, links);
  }
}
