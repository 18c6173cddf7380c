package io.devicelogin.cli.store;

import io.devicelogin.client.TokenSet;
import java.util.Optional;

/**
 * Where a profile's tokens live between commands: never a plaintext file. Implementations: the OS
 * secret store ({@code keyring}) and an in-memory agent process ({@code memory}).
 */
public interface TokenStore {
  /**
   * The key of {@link TokenSet#additional()} under which the commands keep who the tokens are for,
   * stored with them (not a secret: {@code status} shows it).
   */
  String SUBJECT = "devicelogin_subject";

  /** {@code keyring} or {@code memory}. */
  String kind();

  /** Where exactly, for {@code devicelogin status}: e.g. "Secret Service (login keyring)". */
  String location();

  /** The tokens of a profile, if any are held. */
  Optional<TokenSet> load(String profile);

  /** Replaces the tokens of a profile. */
  void save(String profile, TokenSet tokens);

  /** Forgets the tokens of a profile (nothing happens if none are held). */
  void delete(String profile);
}
