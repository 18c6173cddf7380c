package io.devicelogin.server.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.devicelogin.client.wire.Scope;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client's {@code "approvers"} and {@code "scope_groups"} in the configuration file, read into an
 * {@link ApproverPolicy}:
 *
 * <pre>{@code
 * "approvers": { "groups": ["engineering"], "email_domains": ["corp.example"],
 *                "users": ["alice", "corp:00u1a2b3c"] },
 * "scope_groups": { "inventory:write": ["ops"] }
 * }</pre>
 *
 * Every list is optional; {@code "approvers"}, when present, must set at least one, so that a typo
 * does not quietly let anyone approve. A scope in {@code scope_groups} must be one of the client's.
 */
final class ApproversFile {
  static final List<String> CLIENT_MEMBERS = List.of("approvers", "scope_groups");
  private static final List<String> APPROVER_MEMBERS = List.of("groups", "email_domains", "users");

  private ApproversFile() {}

  static ApproverPolicy read(JsonNode client, Scope clientScopes, FilePlace at) {
    Set<String> groups = Set.of();
    Set<String> domains = Set.of();
    Set<String> users = Set.of();
    JsonNode approvers = client.get("approvers");
    if (approvers != null) {
      FilePlace in = at.in("approvers");
      if (!approvers.isObject()) {
        throw in.problem(
            "must be an object, such as {\"groups\": [\"ops\"], \"email_domains\": [\"corp.example\"]}");
      }
      in.onlyKnownMembers(approvers, APPROVER_MEMBERS);
      groups = strings(approvers.get("groups"), in.in("groups"));
      domains = strings(approvers.get("email_domains"), in.in("email_domains"));
      for (String d : domains) {
        if (d.startsWith("@") || d.contains("@") || !d.contains(".")) {
          throw in.problem("email_domains holds domains such as \"corp.example\", not '" + d + "'");
        }
      }
      users = strings(approvers.get("users"), in.in("users"));
      if (groups.isEmpty() && domains.isEmpty() && users.isEmpty()) {
        throw in.problem(
            "names nobody: set groups, email_domains or users, or leave approvers out to let"
                + " anyone with an account approve");
      }
    }
    Map<String, Set<String>> scopeGroups = new LinkedHashMap<>();
    JsonNode node = client.get("scope_groups");
    if (node != null) {
      FilePlace in = at.in("scope_groups");
      if (!node.isObject()) {
        throw in.problem(
            "must be an object from scope to groups, such as {\"inventory:write\": [\"ops\"]}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!clientScopes.contains(e.getKey())) {
          throw in.problem("'" + e.getKey() + "' is not one of the client's scopes");
        }
        Set<String> needed = strings(e.getValue(), in.in(e.getKey()));
        if (needed.isEmpty()) {
          throw in.problem("the groups of " + e.getKey() + " must not be empty");
        }
        scopeGroups.put(e.getKey(), needed);
      }
    }
    return new ApproverPolicy(groups, domains, users, scopeGroups);
  }

  /** An array of non-empty strings, each once; empty when absent. */
  private static Set<String> strings(JsonNode node, FilePlace at) {
    Set<String> out = new LinkedHashSet<>();
    if (node == null) {
      return out;
    }
    if (!node.isArray()) {
      throw at.problem("must be an array of strings");
    }
    for (JsonNode value : node) {
      if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > 255) {
        throw at.problem("must be an array of non-empty strings of at most 255 characters");
      }
      out.add(value.asText().strip());
    }
    return out;
  }
}
