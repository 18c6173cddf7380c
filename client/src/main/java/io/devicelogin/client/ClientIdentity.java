package io.devicelogin.client;

import io.devicelogin.client.wire.Form;
import java.util.Objects;
import java.util.Optional;

/**
 * Who the client is at the token endpoint: a public client by {@code client_id} alone, or one with
 * a secret (some providers, such as Google, issue one even to installed applications), sent as
 * {@code client_secret} in the body (RFC 6749 §2.3.1).
 */
public final class ClientIdentity {
  private final String clientId;
  private final Secret clientSecret;

  private ClientIdentity(String clientId, Secret clientSecret) {
    if (Objects.requireNonNull(clientId, "clientId").isBlank()) {
      throw new IllegalArgumentException("client_id cannot be blank");
    }
    this.clientId = clientId;
    this.clientSecret = clientSecret;
  }

  public static ClientIdentity publicClient(String clientId) {
    return new ClientIdentity(clientId, null);
  }

  public static ClientIdentity withSecret(String clientId, Secret clientSecret) {
    return new ClientIdentity(clientId, Objects.requireNonNull(clientSecret, "clientSecret"));
  }

  public String clientId() {
    return clientId;
  }

  public Optional<Secret> clientSecret() {
    return Optional.ofNullable(clientSecret);
  }

  /** Adds {@code client_id} and, when there is one, {@code client_secret} to a request. */
  public Form authenticate(Form form) {
    form.add("client_id", clientId);
    if (clientSecret != null) {
      form.add("client_secret", clientSecret.revealForTransmission());
    }
    return form;
  }

  @Override
  public String toString() {
    return "ClientIdentity["
        + clientId
        + (clientSecret != null ? ", secret=" + Secret.REDACTED : "")
        + "]";
  }
}
