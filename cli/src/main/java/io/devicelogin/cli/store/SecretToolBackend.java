package io.devicelogin.cli.store;

import static io.devicelogin.cli.store.HelperProgram.USE_MEMORY;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Linux: the freedesktop Secret Service (GNOME Keyring, KWallet's bridge, KeePassXC…) through
 * {@code secret-tool} from libsecret. Items carry the attributes {@code service=devicelogin} and
 * {@code profile=NAME}; the value goes in on stdin and comes out on stdout, never through argv.
 */
final class SecretToolBackend implements KeyringBackend {
  static final String SERVICE = "devicelogin";

  private final HelperProgram helper;
  private final Map<String, String> environment;

  SecretToolBackend(CommandRunner runner, Map<String, String> environment, Duration timeout) {
    this.helper =
        new HelperProgram(
            runner,
            environment,
            timeout,
            "the Secret Service",
            " (is it waiting for an unlock prompt nobody sees?)");
    this.environment = helper.environment();
  }

  @Override
  public String location() {
    return "Secret Service (secret-tool, service=" + SERVICE + ")";
  }

  @Override
  public Optional<byte[]> read(String account) {
    CommandRunner.Result r =
        run("read the tokens", new byte[0], "lookup", "service", SERVICE, "profile", account);
    boolean found =
        succeeded(
            r,
            "read the tokens",
            account,
            " is locked and could not be unlocked here (no desktop to ask for the password)");
    return found ? Optional.of(r.stdout()) : Optional.empty();
  }

  @Override
  public void write(String account, byte[] value) {
    CommandRunner.Result r =
        run(
            "store the tokens",
            value,
            "store",
            "--label=devicelogin (" + account + ")",
            "service",
            SERVICE,
            "profile",
            account);
    if (r.exitCode() != 0) {
      throw unavailable("store the tokens", r);
    }
  }

  @Override
  public void delete(String account) {
    CommandRunner.Result r =
        run("delete the tokens", new byte[0], "clear", "service", SERVICE, "profile", account);
    succeeded(r, "delete the tokens", account, " is locked, so they could not be deleted");
  }

  /**
   * Whether {@code lookup} or {@code clear} found the item; a failure that says why is thrown. They
   * say nothing both when there is no item and when the item sits in a locked collection that they
   * could not unlock (no prompt without a desktop): a search tells the two apart.
   *
   * @param whenLocked what a locked item means, after "the keyring that holds the tokens"
   */
  private boolean succeeded(
      CommandRunner.Result r, String action, String account, String whenLocked) {
    if (r.exitCode() == 0) {
      return true;
    }
    if (!r.stderr().isBlank()) {
      throw unavailable(action, r);
    }
    if (lockedItemExists(account)) {
      throw new StoreUnavailableException(
          "the Secret Service keyring that holds the tokens of profile "
              + account
              + whenLocked
              + USE_MEMORY);
    }
    return false;
  }

  /** Whether an item for the account exists (listed without its secret, as locked items are). */
  private boolean lockedItemExists(String account) {
    CommandRunner.Result r =
        run("search the keyring", new byte[0], "search", "service", SERVICE, "profile", account);
    Arrays.fill(r.stdout(), (byte) 0);
    return r.stderr().toLowerCase(Locale.ROOT).contains("locked");
  }

  private CommandRunner.Result run(String action, byte[] stdin, String... args) {
    Path tool = secretTool();
    requireSessionBus();
    List<String> command = new ArrayList<>();
    command.add(tool.toString());
    command.addAll(List.of(args));
    return helper.run(command, stdin, action, tool.toString());
  }

  private Path secretTool() {
    String path = environment.getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "secret-tool");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new StoreUnavailableException(
        "no OS keyring: `secret-tool` is not on PATH (install libsecret-tools"
            + " on Debian/Ubuntu, libsecret on Fedora/Arch)"
            + USE_MEMORY);
  }

  private void requireSessionBus() {
    String address = environment.get("DBUS_SESSION_BUS_ADDRESS");
    if (address != null && !address.isBlank()) {
      return;
    }
    // Without the variable, libdbus and GDBus use $XDG_RUNTIME_DIR/bus when a systemd user
    // session provides one; anything else would be an X11 autolaunch, which is no keyring.
    String runtime = environment.get("XDG_RUNTIME_DIR");
    if (runtime != null && !runtime.isBlank() && Files.exists(Path.of(runtime, "bus"))) {
      return;
    }
    throw new StoreUnavailableException(
        "no OS keyring: there is no D-Bus session bus"
            + " (DBUS_SESSION_BUS_ADDRESS is not set, as is usual over SSH, in containers and in CI),"
            + " so the Secret Service cannot be reached"
            + USE_MEMORY);
  }

  private static StoreUnavailableException unavailable(String action, CommandRunner.Result r) {
    String reason = r.reason();
    String lower = reason.toLowerCase(Locale.ROOT);
    String why;
    if (lower.contains("autolaunch")
        || lower.contains("could not connect")
        || lower.contains("connection refused")) {
      why = "the D-Bus session bus cannot be reached";
    } else if (lower.contains("not provided by any .service files")
        || lower.contains("serviceunknown")) {
      why = "no Secret Service provider (GNOME Keyring, KeePassXC…) is running on the session bus";
    } else if (lower.contains("locked")) {
      why = "the keyring is locked and could not be unlocked here";
    } else if (lower.contains("does not exist at path") || lower.contains("no such object")) {
      why = "the Secret Service has no default keyring (a desktop login usually creates one)";
    } else {
      why = "the Secret Service refused";
    }
    return new StoreUnavailableException(
        "cannot "
            + action
            + " in the OS keyring: "
            + why
            + " (secret-tool: "
            + reason
            + ")"
            + USE_MEMORY);
  }
}
