package io.devicelogin.client.metadata;

import io.devicelogin.client.Cancellation;
import io.devicelogin.client.DeviceLoginException;
import io.devicelogin.client.DiscoveryException;
import io.devicelogin.client.LoginCancelledException;
import io.devicelogin.client.http.HttpResult;
import io.devicelogin.client.http.OAuthHttp;
import io.devicelogin.client.http.SecureUris;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds an authorization server's metadata from its issuer identifier: first the RFC 8414 document
 * ({@code /.well-known/oauth-authorization-server}, inserted before the issuer's path), then the
 * OpenID Connect one ({@code /.well-known/openid-configuration}, appended to the issuer, and the
 * RFC 8414 form of it). The document's {@code issuer} must equal the one asked for (RFC 8414 §3.3),
 * so that a document served elsewhere cannot redirect tokens.
 */
public final class MetadataDiscovery {
  private final OAuthHttp http;

  public MetadataDiscovery(OAuthHttp http) {
    this.http = http;
  }

  /**
   * Discovers the metadata of {@code issuer} and checks that it supports the device flow.
   *
   * @throws DiscoveryException if no document is found, its issuer differs, or it has no {@code
   *     device_authorization_endpoint}
   */
  public AuthorizationServerMetadata discover(URI issuer, Cancellation cancellation) {
    if (!SecureUris.acceptable(issuer)) {
      throw new DiscoveryException(issuer, SecureUris.refusal(issuer, "the issuer"));
    }
    URI normalised = normalise(issuer);
    List<String> failures = new ArrayList<>();
    for (URI location : locations(normalised)) {
      HttpResult result;
      try {
        result = http.get(location, cancellation);
      } catch (LoginCancelledException e) {
        throw e;
      } catch (DeviceLoginException e) {
        throw new DiscoveryException(
            issuer, "cannot discover " + issuer + ": " + e.getMessage(), e);
      }
      if (result.status() == 404 || result.status() == 405 || result.status() == 410) {
        failures.add(location + " (HTTP " + result.status() + ")");
        continue;
      }
      AuthorizationServerMetadata metadata;
      try {
        metadata = result.expect(AuthorizationServerMetadata::parse);
      } catch (DeviceLoginException e) {
        throw new DiscoveryException(
            issuer, "the metadata of " + issuer + " is unusable: " + e.getMessage(), e);
      }
      URI declared = metadata.issuer().orElseThrow();
      if (!normalise(declared).equals(normalised)) {
        throw new DiscoveryException(
            issuer,
            "the metadata at "
                + location
                + " names the issuer "
                + declared
                + ", not "
                + issuer
                + "; refusing to use it");
      }
      if (metadata.deviceAuthorizationEndpoint().isEmpty()) {
        throw new DiscoveryException(
            issuer,
            issuer
                + " does not support the device authorization grant: its metadata has no"
                + " device_authorization_endpoint");
      }
      return metadata;
    }
    throw new DiscoveryException(
        issuer,
        "no authorization server metadata found for "
            + issuer
            + ": tried "
            + String.join(", ", failures));
  }

  /** The documents to try, in order. */
  static List<URI> locations(URI issuer) {
    String base = issuer.getScheme() + "://" + issuer.getRawAuthority();
    String path = issuer.getRawPath() == null ? "" : issuer.getRawPath();
    List<URI> result = new ArrayList<>();
    result.add(URI.create(base + "/.well-known/oauth-authorization-server" + path));
    result.add(URI.create(base + path + "/.well-known/openid-configuration"));
    if (!path.isEmpty()) {
      result.add(URI.create(base + "/.well-known/openid-configuration" + path));
    }
    return result;
  }

  /**
   * Issuer identifiers are compared as strings (RFC 8414 §3.3), except that a trailing slash is
   * ignored: people type {@code https://id.example.com/} for {@code https://id.example.com}.
   */
  static URI normalise(URI issuer) {
    String text = issuer.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return URI.create(text);
  }
}
