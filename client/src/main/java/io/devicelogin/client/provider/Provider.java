package io.devicelogin.client.provider;

import io.devicelogin.client.Cancellation;
import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.metadata.MetadataDiscovery;
import io.devicelogin.client.wire.OAuthError;
import io.devicelogin.client.wire.Scope;

/**
 * Where a provider's endpoints are, and how to find them: by discovery for a standard server, or
 * fixed for a provider that publishes no usable metadata (GitHub, WorkOS). Also how the provider
 * spells a granted scope, where it departs from RFC 6749 §3.3: the polling engine and the token
 * client read the protocol as the RFCs write it, and a profile reads again what its provider writes
 * otherwise, and names its errors as the RFCs do. Instances come from {@link Providers}.
 */
public interface Provider {

  /** A short name for messages, such as {@code github}. */
  String name();

  /** The provider's endpoints, discovered through {@code discovery} when needed. */
  AuthorizationServerMetadata resolve(MetadataDiscovery discovery, Cancellation cancellation);

  /**
   * The granted scope as this provider means it, from the scope as RFC 6749 §3.3 reads it (or the
   * requested one, when the response named none). As read, by default.
   */
  default Scope grantedScope(Scope asRead) {
    return asRead;
  }

  /**
   * The granted scope tokens that are neither requested nor this provider's own name for a
   * requested one: what a caller that wants least privilege should hear about.
   */
  default Scope widening(Scope requested, Scope granted) {
    return granted.without(requested);
  }

  /**
   * An error answer as the RFCs name it, from the error as this provider sent it: a profile whose
   * provider has its own name for a standard error says so with {@link OAuthError#understoodAs}. As
   * sent, by default.
   */
  default OAuthError standardError(OAuthError asSent) {
    return asSent;
  }
}
