package io.devicelogin.cli.profile;

import java.util.List;
import java.util.Optional;

/**
 * A named login configuration: where to log in and as which client. Configuration only; never a
 * secret.
 *
 * @param name the profile's name ({@code default} unless {@code --profile} says otherwise)
 * @param issuer the issuer URL, for a discoverable server
 * @param provider a provider profile name ({@code github}, {@code workos}, {@code entra}, {@code
 *     google})
 * @param clientId the client id
 * @param scopes the scopes asked for at login
 * @param store {@code keyring}, {@code memory}, or empty for the default choice
 */
public record Profile(
    String name,
    Optional<String> issuer,
    Optional<String> provider,
    String clientId,
    List<String> scopes,
    Optional<String> store) {

  public Profile {
    scopes = List.copyOf(scopes);
  }
}
