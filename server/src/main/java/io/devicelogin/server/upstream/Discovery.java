package io.devicelogin.server.upstream;

import io.devicelogin.server.config.Defaults;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * An upstream's discovery document, fetched at its first use, not at start (a provider that is down
 * must not stop the server), kept for {@link Defaults#UPSTREAM_JWKS_LIFETIME}; after a failure the
 * next try waits {@link Defaults#UPSTREAM_RETRY_AFTER}.
 */
final class Discovery {
  private final String issuer;
  private final UpstreamHttp http;
  private final Clock clock;
  private ProviderMetadata metadata;
  private Instant fetchedAt;
  private String failure;
  private Instant failedAt;

  Discovery(String issuer, UpstreamHttp http, Clock clock) {
    this.issuer = issuer;
    this.http = http;
    this.clock = clock;
  }

  /**
   * The provider's metadata.
   *
   * @throws IOException saying why it cannot be had (now, or since a failure a moment ago)
   */
  synchronized ProviderMetadata metadata() throws IOException {
    Instant now = clock.instant();
    if (metadata != null && now.isBefore(fetchedAt.plus(Defaults.UPSTREAM_JWKS_LIFETIME))) {
      return metadata;
    }
    if (failedAt != null && now.isBefore(failedAt.plus(Defaults.UPSTREAM_RETRY_AFTER))) {
      throw new IOException(failure);
    }
    try {
      metadata = ProviderMetadata.of(http.getJson(documentUri()), issuer);
      fetchedAt = now;
      failedAt = null;
      return metadata;
    } catch (IOException | IllegalArgumentException e) {
      failure = e.getMessage();
      failedAt = now;
      // A document fetched before stays usable while the provider is away.
      return Optional.ofNullable(metadata).orElseThrow(() -> new IOException(failure));
    }
  }

  /**
   * OpenID Connect Discovery §4.1: the issuer without a trailing slash, then the well-known path.
   */
  URI documentUri() {
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    return URI.create(base + "/.well-known/openid-configuration");
  }
}
