package io.devicelogin.client.provider;

import io.devicelogin.client.Cancellation;
import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.metadata.MetadataDiscovery;
import io.devicelogin.client.wire.OAuthError;
import java.util.Map;
import java.util.Objects;

/**
 * A provider whose endpoints are known in advance, and whose own names for standard errors, if it
 * has any, are known too; the base of the fixed profiles.
 */
class FixedProvider implements Provider {
  private final String name;
  private final AuthorizationServerMetadata metadata;

  /** A provider's error code → the RFC's code it stands for. */
  private final Map<String, String> errorAliases;

  FixedProvider(String name, AuthorizationServerMetadata metadata) {
    this(name, metadata, Map.of());
  }

  FixedProvider(
      String name, AuthorizationServerMetadata metadata, Map<String, String> errorAliases) {
    this.name = Objects.requireNonNull(name, "name");
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.errorAliases = Map.copyOf(errorAliases);
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

  @Override
  public OAuthError standardError(OAuthError asSent) {
    String standard = errorAliases.get(asSent.code());
    return standard == null ? asSent : asSent.understoodAs(standard);
  }
}
