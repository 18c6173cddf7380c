package io.devicelogin.cli.store;

import static io.devicelogin.cli.store.HelperProgram.USE_MEMORY;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * macOS: a generic password in the default keychain through {@code /usr/bin/security}. Service
 * {@code devicelogin}, account = the profile name.
 *
 * <p>The secret is written by {@code security -i}, which reads its commands from stdin, so that the
 * value never appears in any process's argv. Finding and deleting take no secret, so they run as
 * plain commands, whose exit code 44 ({@code errSecItemNotFound}) tells "absent" from a failure. A
 * value goes in as base64 in parts of at most 3,000 characters (see {@link ChunkedValue}), because
 * {@code security -i} reads command lines of at most 4,096 bytes, and each write is read back,
 * because the exit status of an interactive session does not report a failed command.
 *
 * <p><b>Untested on a real Mac:</b> the unit tests check the exact commands and input this class
 * produces against {@code security}'s documented syntax; it has not run against a real keychain.
 */
final class MacKeychainBackend implements KeyringBackend {
  static final String SECURITY = "/usr/bin/security";
  static final String SERVICE = "devicelogin";
  static final int PART_SIZE = 3000;
  private static final int ITEM_NOT_FOUND = 44;

  private final HelperProgram helper;

  MacKeychainBackend(CommandRunner runner, Map<String, String> environment, Duration timeout) {
    this.helper =
        new HelperProgram(
            runner,
            environment,
            timeout,
            "the macOS Keychain",
            " (is it waiting for a password prompt?)");
  }

  @Override
  public String location() {
    return "macOS Keychain (service " + SERVICE + ")";
  }

  @Override
  public Optional<byte[]> read(String account) {
    Optional<String> first = find(account);
    if (first.isEmpty()) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    parts.add(first.get());
    int count = ChunkedValue.count(first.get());
    for (int i = 1; i < count; i++) {
      parts.add(
          find(ChunkedValue.partAccount(account, i))
              .orElseThrow(
                  () ->
                      new UnreadableTokensException(
                          "a part of the tokens is missing from the macOS Keychain")));
    }
    return Optional.of(ChunkedValue.join(parts));
  }

  @Override
  public void write(String account, byte[] value) {
    List<String> parts = ChunkedValue.split(value, PART_SIZE);
    StringBuilder script = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      String name = ChunkedValue.partAccount(account, i);
      script
          .append("add-generic-password -U -a ")
          .append(name)
          .append(" -s ")
          .append(SERVICE)
          .append(" -l devicelogin:")
          .append(name)
          .append(" -w ")
          .append(parts.get(i))
          .append('\n');
    }
    byte[] stdin = script.toString().getBytes(StandardCharsets.UTF_8);
    CommandRunner.Result r;
    try {
      r = run(List.of(SECURITY, "-i"), stdin, "store the tokens");
    } finally {
      Arrays.fill(stdin, (byte) 0);
    }
    Optional<byte[]> back;
    try {
      back = read(account);
    } catch (UnreadableTokensException e) {
      back = Optional.empty();
    }
    if (back.isEmpty() || !MessageDigest.isEqual(back.get(), value)) {
      throw new StoreUnavailableException(
          "cannot store the tokens in the macOS Keychain: "
              + (r.stderr().isBlank()
                  ? "they did not read back as written"
                  : "security: " + r.reason())
              + USE_MEMORY);
    }
    deletePartsFrom(account, parts.size());
  }

  @Override
  public void delete(String account) {
    if (remove(account)) {
      deletePartsFrom(account, 1);
    }
  }

  /** Deletes the parts {@code from}, {@code from + 1}, … until one is absent. */
  private void deletePartsFrom(String account, int from) {
    for (int i = from; i <= 64 && remove(ChunkedValue.partAccount(account, i)); i++) {
      // Each removal is one command.
    }
  }

  private Optional<String> find(String name) {
    CommandRunner.Result r =
        run(
            List.of(SECURITY, "find-generic-password", "-a", name, "-s", SERVICE, "-w"),
            new byte[0],
            "read the tokens");
    if (r.exitCode() == ITEM_NOT_FOUND) {
      return Optional.empty();
    }
    if (r.exitCode() != 0) {
      throw unavailable("read the tokens", r);
    }
    String text = r.stdoutText().strip();
    Arrays.fill(r.stdout(), (byte) 0);
    return Optional.of(text);
  }

  private boolean remove(String name) {
    CommandRunner.Result r =
        run(
            List.of(SECURITY, "delete-generic-password", "-a", name, "-s", SERVICE),
            new byte[0],
            "delete the tokens");
    if (r.exitCode() == ITEM_NOT_FOUND) {
      return false;
    }
    if (r.exitCode() != 0) {
      throw unavailable("delete the tokens", r);
    }
    return true;
  }

  private CommandRunner.Result run(List<String> command, byte[] stdin, String action) {
    return helper.run(command, stdin, action, SECURITY);
  }

  private static StoreUnavailableException unavailable(String action, CommandRunner.Result r) {
    return new StoreUnavailableException(
        "cannot "
            + action
            + " in the macOS Keychain (security: "
            + r.reason()
            + "; over SSH the login keychain is usually locked: `security unlock-keychain` unlocks it)"
            + USE_MEMORY);
  }
}
