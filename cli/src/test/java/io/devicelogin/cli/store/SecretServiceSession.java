package io.devicelogin.cli.store;

import io.devicelogin.client.testing.IssuedSecrets;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * A private D-Bus session bus with a real GNOME Keyring on it, unlocked, in a throw-away home: what
 * a desktop login gives, made for one test class. The bus has no service activation, so nothing but
 * this keyring answers as the Secret Service.
 *
 * <p>The keyring is created with a throw-away password: gnome-keyring does not create its login
 * keyring from an empty password without asking through a prompt, and there is no one to ask.
 *
 * <p>When dbus-daemon, gnome-keyring-daemon or secret-tool is missing, the test is skipped with the
 * reason printed, except when the environment variable CI is set: there, {@code .ci/run} installs
 * them, and their absence is a failure.
 */
final class SecretServiceSession implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  final Path root;
  final Path home;
  final String busAddress;
  private final Process bus;
  private final Process keyring;

  private SecretServiceSession(
      Path root, Path home, String busAddress, Process bus, Process keyring) {
    this.root = root;
    this.home = home;
    this.busAddress = busAddress;
    this.bus = bus;
    this.keyring = keyring;
  }

  /**
   * Starts the bus and the keyring under {@code root}, or skips the test (fails it on CI) if it
   * cannot.
   */
  static SecretServiceSession start(Path root) throws IOException, InterruptedException {
    for (String tool : List.of("dbus-daemon", "gnome-keyring-daemon", "secret-tool", "dbus-send")) {
      if (which(tool) == null) {
        unavailable(
            tool + " is not installed (apt-get install gnome-keyring libsecret-tools dbus-x11)");
      }
    }
    Path home = Files.createDirectories(root.resolve("home"));
    BareBus bareBus = bareBus(root);
    Process bus = bareBus.process;
    String address = bareBus.address;
    ProcessBuilder keyringBuilder =
        new ProcessBuilder(
            "gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets");
    keyringBuilder
        .environment()
        .putAll(Map.of("HOME", home.toString(), "DBUS_SESSION_BUS_ADDRESS", address));
    keyringBuilder.environment().remove("XDG_DATA_HOME");
    keyringBuilder.environment().remove("XDG_RUNTIME_DIR");
    keyringBuilder.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process keyring = keyringBuilder.start();
    try (OutputStream in = keyring.getOutputStream()) {
      in.write(
          IssuedSecrets.register("throw-away-test-keyring-password")
              .getBytes(StandardCharsets.UTF_8));
    }
    SecretServiceSession session = new SecretServiceSession(root, home, address, bus, keyring);
    String control = firstLine(keyring, "gnome-keyring-daemon");
    if (control == null || !control.startsWith("GNOME_KEYRING_CONTROL=")) {
      session.close();
      unavailable("gnome-keyring-daemon did not start");
    }
    session.awaitSecretService();
    return session;
  }

  /**
   * A session bus with nothing on it and no service activation: a desktop without any Secret
   * Service provider.
   */
  static BareBus bareBus(Path root) throws IOException, InterruptedException {
    Files.createDirectories(root);
    Path home = Files.createDirectories(root.resolve("home"));
    Path config = root.resolve("bus.conf");
    Files.writeString(
        config,
        "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\""
            + " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
            + "<busconfig><type>session</type><listen>unix:path="
            + root.resolve("bus")
            + "</listen>"
            + "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
            + "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n");
    ProcessBuilder busBuilder =
        new ProcessBuilder(
            "dbus-daemon",
            "--config-file=" + config,
            "--nofork",
            "--nopidfile",
            "--print-address=1");
    busBuilder.environment().put("HOME", home.toString());
    busBuilder.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process bus = busBuilder.start();
    String address = firstLine(bus, "dbus-daemon");
    if (address == null || !address.startsWith("unix:")) {
      bus.destroyForcibly();
      unavailable("dbus-daemon did not print its address");
    }
    return new BareBus(bus, address);
  }

  /** A running dbus-daemon and its address. */
  static final class BareBus implements AutoCloseable {
    final Process process;
    final String address;

    BareBus(Process process, String address) {
      this.process = process;
      this.address = address;
    }

    @Override
    public void close() {
      stop(process);
    }
  }

  /** The environment a desktop session would give the CLI: PATH, HOME and the bus. */
  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("HOME", home.toString());
    env.put("DBUS_SESSION_BUS_ADDRESS", busAddress);
    return env;
  }

  /** Locks the login keyring, as a screen lock or a timeout would. */
  void lockKeyring() throws IOException, InterruptedException {
    int exit =
        dbusSend(
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/collection/login");
    if (exit != 0) {
      throw new IllegalStateException("could not lock the test keyring");
    }
  }

  /** Waits, with a deadline, until the keyring owns the Secret Service's name on the bus. */
  private void awaitSecretService() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      ProcessBuilder b =
          new ProcessBuilder(
              "dbus-send",
              "--session",
              "--print-reply",
              "--dest=org.freedesktop.DBus",
              "/org/freedesktop/DBus",
              "org.freedesktop.DBus.NameHasOwner",
              "string:org.freedesktop.secrets");
      b.environment().put("DBUS_SESSION_BUS_ADDRESS", busAddress);
      b.redirectErrorStream(true);
      Process p = b.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(5, TimeUnit.SECONDS);
      if (out.contains("boolean true")) {
        return;
      }
      // The daemon registers its name right after printing its control socket: ask again at once.
      CompletableFuture.runAsync(
              () -> {}, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS))
          .join();
    }
    close();
    unavailable(
        "gnome-keyring-daemon did not take the name org.freedesktop.secrets within "
            + START_TIMEOUT.toSeconds()
            + " s");
  }

  private int dbusSend(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("dbus-send", "--session", "--print-reply"));
    command.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(command);
    b.environment().put("DBUS_SESSION_BUS_ADDRESS", busAddress);
    b.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    b.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = b.start();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  private static String firstLine(Process process, String name) throws InterruptedException {
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
              } catch (IOException e) {
                return null;
              }
            });
    try {
      return line.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      unavailable(name + " printed nothing within " + START_TIMEOUT.toSeconds() + " s");
      return null;
    }
  }

  static Path which(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Skips (prints why), or fails on CI. */
  static void unavailable(String reason) {
    String message = "a real GNOME Keyring cannot run here: " + reason;
    if (System.getenv("CI") != null) {
      throw new AssertionError(
          message + " (CI is set, so this is a failure: .ci/run must install the packages)");
    }
    System.out.println("SKIPPED: " + message);
    Assumptions.abort(message);
  }

  @Override
  public void close() {
    stop(keyring);
    stop(bus);
  }

  /** Asks a process to end, then kills it if it has not within a bounded wait. */
  private static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
