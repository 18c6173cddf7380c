package io.devicelogin.client.tokens;

import io.devicelogin.client.Cancellation;
import io.devicelogin.client.ClientIdentity;
import io.devicelogin.client.DeviceLoginException;
import io.devicelogin.client.LoginCancelledException;
import io.devicelogin.client.OAuthErrorException;
import io.devicelogin.client.Secret;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.http.HttpResult;
import io.devicelogin.client.http.OAuthHttp;
import io.devicelogin.client.tokens.RevocationReport.Outcome;
import io.devicelogin.client.tokens.RevocationReport.Status;
import io.devicelogin.client.wire.Form;
import io.devicelogin.client.wire.OAuthError;
import io.devicelogin.client.wire.RevocationRequest;
import io.devicelogin.client.wire.Scope;
import io.devicelogin.client.wire.TokenRequest;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Refresh (RFC 6749 §6) and revocation (RFC 7009) of the tokens a login produced. */
public record TokenClient(OAuthHttp http, Clock clock) {
  private static final Logger log = LoggerFactory.getLogger(TokenClient.class);

  /**
   * Exchanges the refresh token for new tokens, optionally with a narrower scope.
   *
   * @param scope the scope to ask for, which must be within the current one; empty to keep it
   * @return the new set; when the server does not rotate the refresh token the old one is kept
   * @throws IllegalStateException if no refresh token is held
   * @throws IllegalArgumentException if {@code scope} asks for more than was granted (RFC 6749 §6)
   */
  public TokenSet refresh(
      URI tokenEndpoint,
      ClientIdentity client,
      TokenSet current,
      Scope scope,
      Cancellation cancellation) {
    Secret refreshToken =
        current
            .refreshToken()
            .orElseThrow(() -> new IllegalStateException("no refresh token is held; log in again"));
    Scope extra = scope.without(current.scope());
    if (!extra.isEmpty()) {
      throw new IllegalArgumentException(
          "a refresh cannot widen the scope; not granted: " + extra.format());
    }
    Form form = client.authenticate(new TokenRequest.Refresh(refreshToken, scope).toForm());
    HttpResult result = http.postForm(tokenEndpoint, form, cancellation);
    Optional<OAuthError> error =
        result.oauthError().map(e -> e.redacting(refreshToken, client.clientSecret().orElse(null)));
    if (error.isPresent()) {
      throw OAuthErrorException.of(error.get(), result.status(), tokenEndpoint);
    }
    Scope asked = scope.isEmpty() ? current.scope() : scope;
    TokenSet fresh = result.expectTokens(clock.instant(), asked);
    return current.refreshedWith(fresh);
  }

  /**
   * Revokes the refresh token, then the access token (RFC 7009 §2.1), and reports what the server
   * confirmed. Never throws for a server that cannot be reached: that is an outcome, reported.
   *
   * @param revocationEndpoint empty when the server has none
   */
  public RevocationReport revoke(
      Optional<URI> revocationEndpoint,
      ClientIdentity client,
      TokenSet tokens,
      Cancellation cancellation) {
    List<Outcome> outcomes = new ArrayList<>();
    if (tokens.refreshToken().isPresent()) {
      outcomes.add(
          revokeOne(
              revocationEndpoint,
              client,
              tokens.refreshToken().get(),
              RevocationRequest.REFRESH_TOKEN,
              cancellation));
    }
    outcomes.add(
        revokeOne(
            revocationEndpoint,
            client,
            tokens.accessToken(),
            RevocationRequest.ACCESS_TOKEN,
            cancellation));
    return new RevocationReport(outcomes);
  }

  private Outcome revokeOne(
      Optional<URI> endpoint,
      ClientIdentity client,
      Secret token,
      String hint,
      Cancellation cancellation) {
    if (endpoint.isEmpty()) {
      return new Outcome(
          hint, Status.NOT_SUPPORTED, Optional.of("the server has no revocation endpoint"));
    }
    Form form = client.authenticate(new RevocationRequest(token, Optional.of(hint)).toForm());
    try {
      HttpResult result = http.postForm(endpoint.get(), form, cancellation);
      if (result.status() == 200) {
        return new Outcome(hint, Status.REVOKED, Optional.empty());
      }
      Optional<OAuthError> error =
          result.oauthError().map(e -> e.redacting(token, client.clientSecret().orElse(null)));
      if (error.isPresent() && "unsupported_token_type".equals(error.get().code())) {
        return new Outcome(hint, Status.NOT_SUPPORTED, Optional.of(error.get().toString()));
      }
      String detail = "HTTP " + result.status() + error.map(e -> " " + e).orElse("");
      log.debug("revocation of the {} failed: {}", hint, detail);
      return new Outcome(hint, Status.FAILED, Optional.of(detail));
    } catch (LoginCancelledException e) {
      throw e;
    } catch (OAuthErrorException e) {
      return new Outcome(hint, Status.FAILED, Optional.of(e.getMessage()));
    } catch (DeviceLoginException e) {
      log.debug("revocation of the {} failed: {}", hint, e.getMessage());
      return new Outcome(hint, Status.FAILED, Optional.of(e.getMessage()));
    }
  }
}
