package io.devicelogin.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import io.devicelogin.client.Secret;
import io.devicelogin.server.config.Defaults;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.identity.UserService;
import io.devicelogin.server.policy.SignInMethods;
import io.devicelogin.server.policy.UpstreamPolicy;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.store.Jdbc;
import io.devicelogin.server.store.ServerSecretStore;
import io.devicelogin.server.store.User;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Sign-in through the configured upstream OpenID Connect providers, as the pages use it: {@link
 * #start} gives the authorization request to send the browser to (the code flow with PKCE S256,
 * {@code state} and {@code nonce}); {@link #finish} takes the browser's return to {@code
 * {issuer}/login/{name}/callback}, redeems the code, checks the ID token ({@link IdTokenCheck}) and
 * finds or creates the linked account ({@link LinkedAccounts}). A refusal is an {@link
 * OAuthProblem} and changes nothing; a provider that is down fails its own button only.
 */
public final class UpstreamSignIn {
  /** The {@code server_secrets} row of the key that signs the sign-in cookies. */
  static final String FLOW_KEY = "upstream-sign-ins";

  private static final int LONGEST_AMR = 40;

  private final SignInMethods methods;
  private final String issuer;
  private final SignInFlows flows;
  private final LinkedAccounts accounts;
  private final UpstreamHttp http;
  private final Map<String, Upstream> upstreams = new LinkedHashMap<>();

  /** One configured provider with its lazily fetched metadata and keys. */
  private record Upstream(UpstreamPolicy policy, Discovery discovery, IdTokenCheck idTokens) {}

  /**
   * The upstreams of {@code methods}, nothing fetched yet; {@code issuer} is this server's, the
   * base of the redirect URIs. Loads the key that signs the sign-in cookies, storing a new one if
   * none.
   */
  public UpstreamSignIn(
      SignInMethods methods,
      UserService users,
      Jdbc jdbc,
      Clock clock,
      SecureRandom random,
      String issuer) {
    this(
        methods,
        users,
        new ServerSecretStore(jdbc)
            .findOrStore(FLOW_KEY, Hashing.newSecret(random), clock.instant()),
        clock,
        random,
        issuer,
        UpstreamHttp.ofDefaults());
  }

  UpstreamSignIn(
      SignInMethods methods,
      UserService users,
      Secret flowKey,
      Clock clock,
      SecureRandom random,
      String issuer,
      UpstreamHttp http) {
    this.methods = methods;
    this.issuer = issuer;
    this.http = http;
    this.flows = new SignInFlows(flowKey, clock, random, Defaults.UPSTREAM_SIGN_IN_LIFETIME);
    this.accounts = new LinkedAccounts(users);
    UsedNonces nonces =
        new UsedNonces(
            clock, Defaults.UPSTREAM_SIGN_IN_LIFETIME.plus(Defaults.UPSTREAM_CLOCK_SKEW));
    for (UpstreamPolicy u : methods.upstreams()) {
      Discovery discovery = new Discovery(u.issuer(), http, clock);
      UpstreamKeys keys = new UpstreamKeys(() -> fetchKeys(discovery), clock);
      upstreams.put(
          u.name(),
          new Upstream(
              u,
              discovery,
              new IdTokenCheck(
                  u.issuer(), u.clientId(), keys, nonces, clock, Defaults.UPSTREAM_CLOCK_SKEW)));
    }
  }

  /** Whether passwords are accepted, and the upstreams in the order of the file. */
  public SignInMethods methods() {
    return methods;
  }

  /** The redirect URI registered at the upstream: {@code {issuer}/login/{name}/callback}. */
  public String redirectUri(String name) {
    return issuer + "/login/" + name + "/callback";
  }

  /** Where to send the browser, and the cookie that holds the sign-in until it comes back. */
  public record Redirect(URI location, Secret flowCookie) {}

  /**
   * Starts a sign-in through upstream {@code name} for the browser session {@code sessionRef},
   * which goes on to the local path {@code next} once signed in.
   *
   * @throws OAuthProblem 404 for an upstream that is not configured, 503 when its discovery
   *     document cannot be had
   */
  public Redirect start(String name, String sessionRef, String next) {
    return start(name, sessionRef, next, false);
  }

  /**
   * {@link #start}, and with {@code again} the provider is asked to have the person sign in again
   * rather than reuse its own session (OIDC Core §3.1.2.1 {@code prompt=login}, {@code max_age=0}):
   * an administrator's confirmation, for an account that has no password here.
   */
  public Redirect start(String name, String sessionRef, String next, boolean again) {
    Upstream u = upstream(name);
    ProviderMetadata metadata = metadata(u);
    SignInFlows.Started started = flows.start(name, sessionRef, next);
    SignInFlows.Flow flow = started.flow();
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", u.policy().clientId());
    query.put("redirect_uri", redirectUri(name));
    query.put("scope", String.join(" ", u.policy().scopes()));
    query.put("state", flows.state(flow));
    query.put("nonce", flows.nonce(flow));
    query.put("code_challenge", SignInFlows.challenge(flows.verifier(flow)));
    query.put("code_challenge_method", "S256");
    if (again) {
      query.put("prompt", "login");
      query.put("max_age", "0");
    }
    String endpoint = metadata.authorizationEndpoint().toString();
    String location = endpoint + (endpoint.contains("?") ? "&" : "?") + UpstreamHttp.encode(query);
    return new Redirect(URI.create(location), started.cookie());
  }

  /** A finished upstream sign-in: the linked account, and how the upstream says it signed in. */
  public record SignedIn(
      User user, UpstreamPolicy upstream, User.Link link, Optional<String> amr, String next) {}

  /**
   * Finishes the sign-in the browser returns with to upstream {@code name}'s callback.
   *
   * @param flowCookie the sign-in cookie the browser sent, if any
   * @param sessionRef the ref of the browser's session, if it has one
   * @param params the callback's query parameters
   * @throws OAuthProblem for a callback that is not this browser's sign-in (no session, no or
   *     another sign-in, a {@code state} that differs), a cancelled sign-in, a provider that cannot
   *     be reached, an ID token that fails a check, and a person a rule keeps out; in every case
   *     nothing has been changed
   */
  public SignedIn finish(
      String name,
      Optional<String> flowCookie,
      Optional<String> sessionRef,
      Map<String, String> params) {
    Upstream u = upstream(name);
    if (sessionRef.isEmpty()) {
      throw UpstreamProblems.notThisBrowsersSignIn(
          "this browser has no session with this server, so the sign-in cannot be finished here");
    }
    SignInFlows.Flow flow =
        flowCookie
            .flatMap(flows::open)
            .filter(f -> f.upstream().equals(name))
            .orElseThrow(
                () ->
                    UpstreamProblems.notThisBrowsersSignIn(
                        "no sign-in through "
                            + u.policy().displayName()
                            + " was started in this browser in the last "
                            + Defaults.UPSTREAM_SIGN_IN_LIFETIME.toMinutes()
                            + " minutes"));
    String state = params.getOrDefault("state", "");
    if (!flows.startedIn(flow, sessionRef.get())
        || !MessageDigest.isEqual(
            flows.state(flow).getBytes(StandardCharsets.US_ASCII),
            state.getBytes(StandardCharsets.UTF_8))) {
      throw UpstreamProblems.notThisBrowsersSignIn(
          "the answer from "
              + u.policy().displayName()
              + " does not belong to the sign-in started in this browser (state)");
    }
    // RFC 9207: a provider that names itself in the answer must name itself.
    String iss = params.get("iss");
    if (iss != null && !iss.equals(u.policy().issuer())) {
      throw UpstreamProblems.untrusted("the answer names the issuer " + iss);
    }
    if (params.containsKey("error")) {
      throw UpstreamProblems.cancelled(u.policy().displayName(), params.get("error"));
    }
    String code = params.get("code");
    if (code == null || code.isEmpty()) {
      throw UpstreamProblems.notThisBrowsersSignIn(
          "the answer from " + u.policy().displayName() + " holds no code");
    }
    JWTClaimsSet claims = redeem(u, flow, code);
    LinkedAccounts.Person person = LinkedAccounts.Person.of(u.policy(), claims);
    User user = accounts.signIn(u.policy(), person);
    return new SignedIn(user, u.policy(), person.link(), amr(claims), flow.next());
  }

  /** The local path a sign-in cookie says to go on to, for pages that refuse its callback. */
  public Optional<String> nextOf(Optional<String> flowCookie) {
    return flowCookie.flatMap(flows::open).map(SignInFlows.Flow::next);
  }

  private JWTClaimsSet redeem(Upstream u, SignInFlows.Flow flow, String code) {
    ProviderMetadata metadata = metadata(u);
    UpstreamPolicy p = u.policy();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", redirectUri(p.name()));
    form.put("code_verifier", flows.verifier(flow).revealForTransmission());
    if (p.clientSecret().isEmpty()) {
      form.put("client_id", p.clientId());
    }
    JsonNode answer;
    try {
      answer =
          http.postForm(
              metadata.tokenEndpoint(),
              form,
              p.clientSecret().map(s -> new UpstreamHttp.Basic(p.clientId(), s)));
    } catch (IOException e) {
      throw UpstreamProblems.unavailable(p.displayName(), e.getMessage());
    }
    if (answer.has("error")) {
      throw UpstreamProblems.untrusted(
          p.displayName()
              + " refused to redeem the code ("
              + UpstreamProblems.printable(answer.path("error").asText())
              + ")");
    }
    JsonNode idToken = answer.get("id_token");
    if (idToken == null || !idToken.isTextual()) {
      throw UpstreamProblems.untrusted(p.displayName() + " sent no ID token");
    }
    try {
      return u.idTokens().check(idToken.asText(), flows.nonce(flow));
    } catch (IOException e) {
      throw UpstreamProblems.unavailable(p.displayName(), e.getMessage());
    }
  }

  private Upstream upstream(String name) {
    Upstream u = upstreams.get(name);
    if (u == null) {
      throw UpstreamProblems.unknown(name);
    }
    return u;
  }

  private static ProviderMetadata metadata(Upstream u) {
    try {
      return u.discovery().metadata();
    } catch (IOException e) {
      throw UpstreamProblems.unavailable(u.policy().displayName(), e.getMessage());
    }
  }

  private JWKSet fetchKeys(Discovery discovery) throws IOException {
    JsonNode json = http.getJson(discovery.metadata().jwksUri());
    try {
      return JWKSet.parse(json.toString());
    } catch (ParseException e) {
      throw new IOException("its key set (jwks_uri) is not a JWK set");
    }
  }

  /**
   * The upstream's {@code amr} (RFC 8176 words), passed through as the session's; none when it
   * sends none: no registered word means "through another provider", and a made-up one would claim
   * more than is known.
   */
  private static Optional<String> amr(JWTClaimsSet claims) {
    List<String> values;
    try {
      values = claims.getStringListClaim("amr");
    } catch (ParseException e) {
      return Optional.empty();
    }
    if (values == null) {
      return Optional.empty();
    }
    String joined =
        values.stream()
            .filter(v -> v.matches("[A-Za-z0-9_-]{1,20}"))
            .collect(Collectors.joining(" "));
    while (joined.length() > LONGEST_AMR) {
      joined = joined.substring(0, joined.lastIndexOf(' '));
    }
    return joined.isEmpty() ? Optional.empty() : Optional.of(joined);
  }
}
