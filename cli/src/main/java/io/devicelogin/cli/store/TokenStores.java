package io.devicelogin.cli.store;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses where tokens live. There is no plaintext fallback: when no secure store works, the answer
 * is a {@link StoreUnavailableException} that says why each one does not.
 */
public final class TokenStores {
  public static final String KEYRING = "keyring";
  public static final String MEMORY = "memory";

  private TokenStores() {}

  /**
   * The store for {@code preference} ({@code --store}, or the profile's {@code store}):
   *
   * <ul>
   *   <li>{@code keyring}: the OS keyring, which must work here (checked with a probe that writes
   *       and deletes a throw-away item);
   *   <li>{@code memory}: the in-memory agent (started on the first save);
   *   <li>absent: the keyring when the probe succeeds, else the agent.
   * </ul>
   *
   * @param env the environment, normally {@code System.getenv()}: helper commands run with it, and
   *     it locates the agent's socket ({@code XDG_RUNTIME_DIR}, {@code DEVICELOGIN_AGENT_SOCKET})
   * @throws StoreUnavailableException if the store asked for does not work, or without a preference
   *     if neither does (the message gives both reasons); exit code 8
   * @throws IllegalArgumentException for a preference other than {@code keyring} or {@code memory}
   *     (a usage error)
   */
  public static TokenStore open(Optional<String> preference, Map<String, String> env) {
    if (preference.isPresent()) {
      String kind = preference.get().strip().toLowerCase(Locale.ROOT);
      return switch (kind) {
        case KEYRING -> workingKeyring(env);
        case MEMORY -> MemoryAgentStore.fromEnvironment(env);
        default ->
            throw new IllegalArgumentException(
                "unknown token store \"" + preference.get() + "\": use keyring or memory");
      };
    }
    StoreUnavailableException keyringProblem;
    try {
      return workingKeyring(env);
    } catch (StoreUnavailableException e) {
      keyringProblem = e;
    }
    try {
      return MemoryAgentStore.fromEnvironment(env);
    } catch (StoreUnavailableException memoryProblem) {
      StoreUnavailableException both =
          new StoreUnavailableException(
              "no secure place for tokens here, and devicelogin never writes them to a plain file."
                  + " OS keyring: "
                  + keyringProblem.getMessage()
                  + ". In-memory agent: "
                  + memoryProblem.getMessage()
                  + ".",
              memoryProblem);
      both.addSuppressed(keyringProblem);
      throw both;
    }
  }

  /**
   * The store a profile recorded at login, for the commands that use its tokens ({@code status},
   * {@code token}, {@code exec}): as {@link #open}, except that the keyring is not probed first.
   * Login checked that it works; should it have stopped working since, reading from it fails with
   * the same reasons (no secret-tool, no session bus, locked), and the probe cost every one of
   * these commands two more runs of the keyring's helper program (secret-tool here, about 45 ms).
   *
   * @throws StoreUnavailableException as {@link #open} does, except for the keyring's probe
   * @throws IllegalArgumentException for a preference other than {@code keyring} or {@code memory}
   */
  public static TokenStore openRecorded(Optional<String> preference, Map<String, String> env) {
    if (preference.isPresent()
        && preference.get().strip().toLowerCase(Locale.ROOT).equals(KEYRING)) {
      return KeyringStore.forCurrentOs(env);
    }
    return open(preference, env);
  }

  /**
   * Stops the in-memory agent, if one runs, forgetting every profile's tokens it held ({@code
   * logout --all}).
   *
   * @return whether an agent was running
   * @throws StoreUnavailableException if the agent's directory is not private or the agent does not
   *     answer properly
   */
  public static boolean stopAgent(Map<String, String> env) {
    return MemoryAgentStore.fromEnvironment(env).shutdownAgent();
  }

  private static KeyringStore workingKeyring(Map<String, String> env) {
    KeyringStore keyring = KeyringStore.forCurrentOs(env);
    keyring.probe();
    return keyring;
  }
}
