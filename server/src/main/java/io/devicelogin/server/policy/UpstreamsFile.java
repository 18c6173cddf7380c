package io.devicelogin.server.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.devicelogin.client.Secret;
import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.policy.UpstreamPolicy.Claims;
import io.devicelogin.server.policy.UpstreamPolicy.Provisioning;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configuration file's {@code "upstreams"} and {@code "local_accounts"}, read as strictly as
 * the rest of it ({@link ClientsFile}):
 *
 * <pre>{@code
 * "upstreams": [
 *   { "name": "corp", "display_name": "Corp SSO", "issuer": "https://login.corp.example",
 *     "client_id": "devicelogin", "client_secret_env": "CORP_OIDC_SECRET",
 *     "scopes": ["openid", "email", "profile"],
 *     "claims": { "username": "preferred_username", "email": "email", "name": "name",
 *                 "groups": "groups" },
 *     "allowed_email_domains": ["corp.example"], "require_verified_email": true,
 *     "provisioning": "automatic" }
 * ],
 * "local_accounts": true
 * }</pre>
 *
 * <p>The client secret is never in the file: {@code client_secret_env} names an environment
 * variable, {@code client_secret_file} a file (relative to the configuration file's directory);
 * neither makes a public client that proves itself with PKCE alone. A named secret that is not
 * there stops the start.
 */
final class UpstreamsFile {
  static final List<String> ROOT_MEMBERS = List.of("upstreams", "local_accounts");
  private static final List<String> MEMBERS =
      List.of(
          "name",
          "display_name",
          "issuer",
          "client_id",
          "client_secret_env",
          "client_secret_file",
          "scopes",
          "claims",
          "allowed_email_domains",
          "require_verified_email",
          "provisioning");
  private static final List<String> CLAIM_MEMBERS = List.of("username", "email", "name", "groups");
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,64}");
  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9.-]{1,253}");
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

  private UpstreamsFile() {}

  /** The sign-in methods of the file's {@code root}. */
  static SignInMethods read(JsonNode root, FilePlace at, Path configDir, Map<String, String> env) {
    boolean local = at.bool(root, "local_accounts", true);
    JsonNode list = root.get("upstreams");
    if (list != null && !list.isArray()) {
      throw at.problem("\"upstreams\" must be an array of upstream objects");
    }
    List<UpstreamPolicy> upstreams = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; list != null && i < list.size(); i++) {
      UpstreamPolicy u = upstream(list.get(i), at.in("upstreams[" + i + "]"), configDir, env);
      if (!names.add(u.name())) {
        throw at.problem("upstream '" + u.name() + "' is configured twice");
      }
      upstreams.add(u);
    }
    if (!local && upstreams.isEmpty()) {
      throw at.problem("local_accounts is false and there are no upstreams: nobody could sign in");
    }
    return new SignInMethods(local, upstreams);
  }

  private static UpstreamPolicy upstream(
      JsonNode u, FilePlace place, Path configDir, Map<String, String> env) {
    if (!u.isObject()) {
      throw place.problem("each upstream must be a JSON object");
    }
    String name =
        place
            .string(u, "name")
            .filter(n -> NAME.matcher(n).matches())
            .orElseThrow(
                () ->
                    place.problem(
                        "name is missing or not 1 to 64 of a-z, 0-9 and - (it is part of the"
                            + " redirect URI)"));
    FilePlace at = place.in("upstream '" + name + "'");
    if (u.has("client_secret")) {
      throw at.problem(
          "unknown member 'client_secret': the secret is never in the file; name an environment"
              + " variable with client_secret_env or a file with client_secret_file");
    }
    at.onlyKnownMembers(u, MEMBERS);
    String issuer = issuer(at.string(u, "issuer"), at);
    String clientId =
        at.string(u, "client_id")
            .filter(id -> !id.isBlank())
            .orElseThrow(() -> at.problem("client_id is missing (a non-empty string)"));
    return new UpstreamPolicy(
        name,
        at.string(u, "display_name").filter(d -> !d.isBlank()).orElse(name),
        issuer,
        clientId,
        secret(u, at, configDir, env),
        scopes(u.get("scopes"), at),
        claims(u.get("claims"), at),
        domains(u.get("allowed_email_domains"), at),
        at.bool(u, "require_verified_email", false),
        provisioning(at.string(u, "provisioning"), at));
  }

  /**
   * An https URL without query or fragment; http only on this machine, for tests. Kept exactly as
   * written (a trailing slash too): ID tokens must carry this very string as {@code iss}.
   */
  private static String issuer(Optional<String> text, FilePlace at) {
    String issuer = text.orElseThrow(() -> at.problem("issuer is missing"));
    URI uri;
    try {
      uri = new URI(issuer);
    } catch (URISyntaxException e) {
      uri = null;
    }
    boolean https = uri != null && "https".equals(uri.getScheme());
    boolean loopbackHttp =
        uri != null
            && "http".equals(uri.getScheme())
            && uri.getHost() != null
            && LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT));
    if (uri == null
        || !(https || loopbackHttp)
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw at.problem(
          "issuer must be an https:// URL without query or fragment, such as"
              + " https://login.example.com (http:// only for localhost), not '"
              + issuer
              + "'");
    }
    return issuer;
  }

  private static Optional<Secret> secret(
      JsonNode u, FilePlace at, Path configDir, Map<String, String> env) {
    Optional<String> variable = at.string(u, "client_secret_env");
    Optional<String> file = at.string(u, "client_secret_file");
    if (variable.isPresent() && file.isPresent()) {
      throw at.problem("give client_secret_env or client_secret_file, not both");
    }
    if (variable.isPresent()) {
      String value = env.get(variable.get());
      if (value == null || value.isBlank()) {
        throw at.problem(
            "the environment variable "
                + variable.get()
                + " (client_secret_env) is not set; it must hold the client secret");
      }
      return Optional.of(Secret.of(value.strip()));
    }
    if (file.isPresent()) {
      Path path = configDir.resolve(file.get());
      String value;
      try {
        value = Files.readString(path, StandardCharsets.UTF_8).strip();
      } catch (IOException | RuntimeException e) {
        throw at.problem("cannot read client_secret_file " + path);
      }
      if (value.isEmpty()) {
        throw at.problem("client_secret_file " + path + " is empty");
      }
      return Optional.of(Secret.of(value));
    }
    return Optional.empty();
  }

  private static List<String> scopes(JsonNode node, FilePlace at) {
    if (node == null) {
      return Defaults.UPSTREAM_SCOPES;
    }
    List<String> scopes = strings(node, "scopes", at);
    if (scopes.stream().anyMatch(s -> !Scope.isToken(s))) {
      throw at.problem("scopes must be strings without spaces, quotes or backslashes");
    }
    if (!scopes.contains("openid")) {
      throw at.problem("scopes must hold openid: the sign-in needs an ID token");
    }
    return scopes;
  }

  private static Claims claims(JsonNode node, FilePlace file) {
    if (node == null) {
      return Claims.DEFAULTS;
    }
    FilePlace at = file.in("claims");
    if (!node.isObject()) {
      throw at.problem("must be an object, such as {\"username\": \"preferred_username\"}");
    }
    at.onlyKnownMembers(node, CLAIM_MEMBERS);
    Claims d = Claims.DEFAULTS;
    return new Claims(
        claim(node, "username", d.username(), at),
        claim(node, "email", d.email(), at),
        claim(node, "name", d.name(), at),
        claim(node, "groups", d.groups(), at));
  }

  private static String claim(JsonNode node, String member, String fallback, FilePlace at) {
    Optional<String> name = at.string(node, member);
    if (name.isPresent() && name.get().isBlank()) {
      throw at.problem(member + " must name a claim");
    }
    return name.orElse(fallback);
  }

  private static List<String> domains(JsonNode node, FilePlace at) {
    if (node == null) {
      return List.of();
    }
    List<String> domains = strings(node, "allowed_email_domains", at);
    for (String d : domains) {
      if (!DOMAIN.matcher(d.toLowerCase(Locale.ROOT)).matches() || !d.contains(".")) {
        throw at.problem(
            "allowed_email_domains: '" + d + "' is not a domain name such as corp.example");
      }
    }
    return domains;
  }

  private static Provisioning provisioning(Optional<String> value, FilePlace at) {
    return switch (value.orElse("automatic")) {
      case "automatic" -> Provisioning.AUTOMATIC;
      case "invite" -> Provisioning.INVITE;
      default ->
          throw at.problem(
              "provisioning must be \"automatic\" (the first sign-in creates the account) or"
                  + " \"invite\" (only accounts created beforehand)");
    };
  }

  private static List<String> strings(JsonNode node, String member, FilePlace at) {
    if (!node.isArray()) {
      throw at.problem(member + " must be an array of strings");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode v : node) {
      if (!v.isTextual() || v.asText().isBlank()) {
        throw at.problem(member + " must be an array of non-empty strings");
      }
      values.add(v.asText());
    }
    return values;
  }
}
