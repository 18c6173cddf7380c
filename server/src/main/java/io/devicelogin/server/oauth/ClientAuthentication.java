package io.devicelogin.server.oauth;

import io.devicelogin.client.Secret;
import io.devicelogin.server.policy.ClientPolicy;
import io.devicelogin.server.policy.ClientRegistry;
import io.devicelogin.server.protocol.FormRequest;
import io.devicelogin.server.protocol.OAuthExchange;
import io.devicelogin.server.protocol.OAuthProblem;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Who is calling an OAuth endpoint (RFC 6749 §2.3): a public client by {@code client_id}, or a
 * confidential one by HTTP Basic or {@code client_secret} in the body.
 */
public final class ClientAuthentication {
  private final ClientRegistry clients;

  public ClientAuthentication(ClientRegistry clients) {
    this.clients = clients;
  }

  public ClientPolicy authenticate(OAuthExchange ctx, FormRequest form) {
    List<String> authorization = ctx.headers("Authorization");
    if (authorization.size() > 1) {
      // Two sets of credentials: which one counts would be an accident of the header order.
      throw OAuthProblem.invalidRequest("the Authorization header is repeated");
    }
    Optional<String[]> basic = basic(authorization.isEmpty() ? null : authorization.get(0));
    String clientId;
    Optional<String> secret;
    if (basic.isPresent()) {
      clientId = basic.get()[0];
      secret = Optional.of(basic.get()[1]);
      if (form.get("client_id").filter(id -> !id.equals(clientId)).isPresent()) {
        throw OAuthProblem.invalidRequest(
            "client_id differs from the one in the Authorization header");
      }
      if (form.has("client_secret")) {
        throw OAuthProblem.invalidRequest("use one way of client authentication, not two");
      }
    } else {
      clientId =
          form.get("client_id")
              .orElseThrow(() -> OAuthProblem.invalidClient("client_id is missing"));
      secret = form.get("client_secret");
    }
    ClientPolicy client =
        clients.find(clientId).orElseThrow(() -> OAuthProblem.invalidClient("unknown client"));
    if (client.isPublic()) {
      if (secret.isPresent()) {
        throw OAuthProblem.invalidClient("this client has no secret");
      }
      return client;
    }
    if (secret.isEmpty() || !client.secretMatches(Secret.of(secret.get()))) {
      throw OAuthProblem.invalidClient("client authentication failed");
    }
    return client;
  }

  /**
   * The client id and secret of an {@code Authorization: Basic} header, each form-decoded (RFC 6749
   * §2.3.1); empty for a header of another scheme or none.
   *
   * @throws OAuthProblem {@code invalid_client} for Basic credentials that cannot be read
   */
  static Optional<String[]> basic(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    try {
      String decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon < 1 || colon == decoded.length() - 1) {
        throw OAuthProblem.invalidClient("malformed Basic credentials");
      }
      return Optional.of(
          new String[] {
            URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
            URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)
          });
    } catch (IllegalArgumentException e) {
      throw OAuthProblem.invalidClient("malformed Basic credentials");
    }
  }
}
