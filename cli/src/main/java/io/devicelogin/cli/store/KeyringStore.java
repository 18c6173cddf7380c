package io.devicelogin.cli.store;

import io.devicelogin.cli.profile.ProfileNames;
import io.devicelogin.client.TokenSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Tokens in the operating system's secret store, one item per profile, as the JSON of {@link
 * TokenSetCodec}:
 *
 * <ul>
 *   <li>Linux and other Unixes: the freedesktop Secret Service through {@code secret-tool}
 *       (libsecret-tools); item attributes {@code service=devicelogin profile=NAME}, label {@code
 *       devicelogin (NAME)}. Tested against a real GNOME Keyring.
 *   <li>macOS: the Keychain through {@code /usr/bin/security} (service {@code devicelogin}, account
 *       {@code NAME}). <b>Untested on a real Mac</b>: only the command lines and inputs are tested.
 *   <li>Windows: the Credential Manager through Windows PowerShell and P/Invoke (target {@code
 *       devicelogin:NAME}). <b>Untested on real Windows</b>: only the command line and script are
 *       tested.
 * </ul>
 *
 * Secrets travel to and from the helper commands on stdin and stdout only, never in their argv, and
 * every helper call has a time limit. Any failure to reach the store is a {@link
 * StoreUnavailableException} whose message says why.
 */
public final class KeyringStore implements TokenStore {
  /** How long one helper command may take; long enough for a person to answer an unlock prompt. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /**
   * The account {@link #probe()} writes and deletes; not a valid profile name, so never a clash.
   */
  static final String PROBE_ACCOUNT = "_probe";

  private final KeyringBackend backend;

  KeyringStore(KeyringBackend backend) {
    this.backend = backend;
  }

  /**
   * The secret store of the operating system this JVM runs on, reached with {@code environment}
   * (normally {@code System.getenv()}: it is the helper commands' whole environment).
   *
   * @throws StoreUnavailableException on an operating system without a supported store
   */
  public static KeyringStore forCurrentOs(Map<String, String> environment) {
    return forOs(
        System.getProperty("os.name", ""),
        environment,
        new ProcessCommandRunner(),
        DEFAULT_TIMEOUT);
  }

  static KeyringStore forOs(
      String osName, Map<String, String> environment, CommandRunner runner, Duration timeout) {
    String os = osName.toLowerCase(Locale.ROOT);
    if (os.startsWith("windows")) {
      return new KeyringStore(new WindowsCredentialBackend(runner, environment, timeout));
    }
    if (os.startsWith("mac") || os.startsWith("darwin")) {
      return new KeyringStore(new MacKeychainBackend(runner, environment, timeout));
    }
    if (os.contains("linux") || os.contains("bsd") || os.contains("sunos")) {
      return new KeyringStore(new SecretToolBackend(runner, environment, timeout));
    }
    throw new StoreUnavailableException("no OS keyring support for " + osName);
  }

  @Override
  public String kind() {
    return "keyring";
  }

  @Override
  public String location() {
    return backend.location();
  }

  /**
   * Checks that the store works by writing and deleting a throw-away item (which holds no secret).
   * Reading alone would not do: a missing or locked keyring answers a lookup with "nothing there".
   *
   * @throws StoreUnavailableException saying why it does not
   */
  public void probe() {
    backend.write(PROBE_ACCOUNT, "devicelogin availability check".getBytes(StandardCharsets.UTF_8));
    backend.delete(PROBE_ACCOUNT);
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreUnavailableException if the keyring cannot be reached or is locked
   * @throws UnreadableTokensException if the item is there but is not a token set this version
   *     reads
   */
  @Override
  public Optional<TokenSet> load(String profile) {
    ProfileNames.check(profile);
    Optional<byte[]> bytes = backend.read(profile);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(TokenSetCodec.decode(bytes.get()));
    } catch (UnreadableTokensException e) {
      throw new UnreadableTokensException(
          "the tokens of profile "
              + profile
              + " in the OS keyring cannot be read ("
              + e.getMessage()
              + "): `devicelogin logout --profile "
              + profile
              + "` removes them");
    } finally {
      Arrays.fill(bytes.get(), (byte) 0);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreUnavailableException if the keyring cannot be reached or refuses
   */
  @Override
  public void save(String profile, TokenSet tokens) {
    ProfileNames.check(profile);
    byte[] bytes = TokenSetCodec.encode(tokens);
    try {
      backend.write(profile, bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreUnavailableException if the keyring cannot be reached
   */
  @Override
  public void delete(String profile) {
    ProfileNames.check(profile);
    backend.delete(profile);
  }

  @Override
  public String toString() {
    return "KeyringStore[" + location() + "]";
  }
}
