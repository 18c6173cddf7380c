package io.devicelogin.client.provider;

import io.devicelogin.client.Cancellation;
import io.devicelogin.client.metadata.AuthorizationServerMetadata;
import io.devicelogin.client.metadata.MetadataDiscovery;
import java.net.URI;
import java.util.Objects;

/** The provider profiles this library knows. */
public final class Providers {
  private Providers() {}

  /** Any server that publishes RFC 8414 or OpenID Connect metadata with a device endpoint. */
  public static Provider discover(URI issuer) {
    Objects.requireNonNull(issuer, "issuer");
    return new Provider() {
      @Override
      public String name() {
        return issuer.toString();
      }

      @Override
      public AuthorizationServerMetadata resolve(MetadataDiscovery discovery, Cancellation cancellation) {
        return discovery.discover(issuer, cancellation);
      }
    };
  }

  /** Endpoints given explicitly. */
  public static Provider fixed(String name, AuthorizationServerMetadata metadata) {
    Objects.requireNonNull(metadata, "metadata");
    return new Provider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public AuthorizationServerMetadata resolve(MetadataDiscovery discovery, Cancellation cancellation) {
        return metadata;
      }
    };
  }
}
