package io.devicelogin.client.provider;

import io.devicelogin.client.Cancellation;
import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.metadata.MetadataDiscovery;

/**
 * Where a provider's endpoints are, and how to find them: by discovery for a standard server, or
 * fixed for a provider that publishes no usable metadata (GitHub, WorkOS). Instances come from
 * {@link Providers}.
 */
public interface Provider {

  /** A short name for messages, such as {@code github}. */
  String name();

  /** The provider's endpoints, discovered through {@code discovery} when needed. */
  AuthorizationServerMetadata resolve(MetadataDiscovery discovery, Cancellation cancellation);
}
