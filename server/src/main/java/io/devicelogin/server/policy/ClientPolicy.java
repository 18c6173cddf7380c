package io.devicelogin.server.policy;

import io.devicelogin.client.Secret;
import io.devicelogin.client.wire.Scope;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.protocol.OAuthProblem;
import io.devicelogin.server.protocol.StandardScope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One registered client and what it may do.
 *
 * @param clientId the {@code client_id}
 * @param name shown to the person on the consent page
 * @param allowedScopes the scopes it may ask for
 * @param deviceGrant whether it may use the device authorization grant
 * @param refreshTokens when its grants get refresh tokens
 * @param deviceCodeLifetime {@code expires_in} of its codes
 * @param pollInterval {@code interval} of its codes
 * @param accessTokenLifetime lifetime of its access tokens
 * @param refreshIdleLifetime a refresh token unused this long expires
 * @param refreshMaxLifetime a grant's refresh tokens stop this long after approval
 * @param secretSha256 for a confidential client (a resource server), the SHA-256 hex of its secret
 * @param introspection whether it may call the introspection endpoint
 * @param approvers who may approve its sign-ins, and delegate which scopes
 */
public record ClientPolicy(
    String clientId,
    String name,
    Scope allowedScopes,
    boolean deviceGrant,
    RefreshTokenPolicy refreshTokens,
    Duration deviceCodeLifetime,
    Duration pollInterval,
    Duration accessTokenLifetime,
    Duration refreshIdleLifetime,
    Duration refreshMaxLifetime,
    Optional<String> secretSha256,
    boolean introspection,
    ApproverPolicy approvers) {

  public ClientPolicy {
    Objects.requireNonNull(allowedScopes);
    Objects.requireNonNull(refreshTokens);
    Objects.requireNonNull(approvers);
  }

  /** A client whose sign-ins anyone with an active account may approve. */
  public ClientPolicy(
      String clientId,
      String name,
      Scope allowedScopes,
      boolean deviceGrant,
      RefreshTokenPolicy refreshTokens,
      Duration deviceCodeLifetime,
      Duration pollInterval,
      Duration accessTokenLifetime,
      Duration refreshIdleLifetime,
      Duration refreshMaxLifetime,
      Optional<String> secretSha256,
      boolean introspection) {
    this(
        clientId,
        name,
        allowedScopes,
        deviceGrant,
        refreshTokens,
        deviceCodeLifetime,
        pollInterval,
        accessTokenLifetime,
        refreshIdleLifetime,
        refreshMaxLifetime,
        secretSha256,
        introspection,
        ApproverPolicy.ANYONE);
  }

  /**
   * Whether its grant of {@code scope} stays signed in: gets a refresh token, and a new one at each
   * use.
   */
  public boolean staysSignedIn(Scope scope) {
    return refreshTokens.issuesFor(scope);
  }

  /**
   * {@code scope} as the consent and account pages show it: holding {@code offline_access}, "stay
   * signed in", exactly when the grant gets refresh tokens, so that the person is told whenever a
   * login outlasts its access token and never told so when it does not.
   */
  public Scope asShownToThePerson(Scope scope) {
    Scope offline = Scope.of(StandardScope.OFFLINE_ACCESS.token());
    if (!staysSignedIn(scope)) {
      return scope.without(offline);
    }
    List<String> shown = new ArrayList<>(scope.tokens());
    shown.add(offline.format());
    return Scope.of(shown);
  }

  /**
   * @throws OAuthProblem {@code unauthorized_client} unless it may use the refresh token grant
   */
  public void requireRefreshTokens() {
    if (refreshTokens == RefreshTokenPolicy.NEVER) {
      throw OAuthProblem.unauthorizedClient("this client may not use refresh tokens");
    }
  }

  /** A public client has no secret and authenticates by {@code client_id} alone. */
  public boolean isPublic() {
    return secretSha256.isEmpty();
  }

  /**
   * @throws OAuthProblem {@code unauthorized_client} unless it may use the device authorization
   *     grant
   */
  public void requireDeviceGrant() {
    if (!deviceGrant) {
      throw OAuthProblem.unauthorizedClient(
          "this client may not use the device authorization grant");
    }
  }

  /**
   * @throws OAuthProblem {@code invalid_client} unless it is a confidential client allowed to
   *     introspect tokens (RFC 7662 §2.1)
   */
  public void requireIntrospection() {
    if (isPublic() || !introspection) {
      throw OAuthProblem.invalidClient("this client may not introspect tokens");
    }
  }

  /** Whether {@code presented} is this client's secret, compared in constant time. */
  public boolean secretMatches(Secret presented) {
    return secretSha256
        .map(
            expected ->
                MessageDigest.isEqual(
                    expected.getBytes(StandardCharsets.US_ASCII),
                    Hashing.sha256(presented).getBytes(StandardCharsets.US_ASCII)))
        .orElse(false);
  }
}
