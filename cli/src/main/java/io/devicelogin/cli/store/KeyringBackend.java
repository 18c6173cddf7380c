package io.devicelogin.cli.store;

import java.util.Optional;

/**
 * One OS secret store, keyed by an account name (a profile name, or {@link
 * KeyringStore#PROBE_ACCOUNT}). Values are bytes the store keeps as given; every failure to reach
 * the store is a {@link StoreUnavailableException} that says why.
 */
interface KeyringBackend {

  /** For {@code devicelogin status}. */
  String location();

  Optional<byte[]> read(String account);

  void write(String account, byte[] value);

  /** Removes the value; nothing happens if there is none. */
  void delete(String account);
}
