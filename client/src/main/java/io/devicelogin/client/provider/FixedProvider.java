package io.devicelogin.client.provider;

import io.devicelogin.client.Cancellation;
import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.metadata.MetadataDiscovery;
import java.util.Objects;

/** A provider whose endpoints are known in advance; the base of the fixed profiles. */
class FixedProvider implements Provider {
  private final String name;
  private final AuthorizationServerMetadata metadata;

  FixedProvider(String name, AuthorizationServerMetadata metadata) {
    this.name = Objects.requireNonNull(name, "name");
    this.metadata = Objects.requireNonNull(metadata, "metadata");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public AuthorizationServerMetadata resolve(
      MetadataDiscovery discovery, Cancellation cancellation) {
    return metadata;
  }
}
