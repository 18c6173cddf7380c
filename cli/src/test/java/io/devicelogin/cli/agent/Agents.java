package io.devicelogin.cli.agent;

import io.devicelogin.cli.store.MemoryAgentStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Agent stores for one test, each on a socket in the test's own directory, and the certainty that
 * every agent they started is gone when the test ends (asked to stop, then killed if it has not
 * exited within a bounded wait).
 */
final class Agents implements AfterEachCallback {
  private final List<MemoryAgentStore> stores = new ArrayList<>();

  /** The environment of a CLI whose XDG_RUNTIME_DIR is {@code runtimeDir}. */
  static Map<String, String> env(Path runtimeDir, String... more) {
    Map<String, String> env = new HashMap<>();
    env.put("XDG_RUNTIME_DIR", runtimeDir.toString());
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  /** Makes {@code dir} as the agent wants its directory: the user's alone ({@code rwx------}). */
  static Path privateDirectory(Path dir) throws IOException {
    return Files.createDirectory(
        dir, PosixFilePermissions.asFileAttribute(PrivateDirectory.OWNER_ONLY));
  }

  MemoryAgentStore store(Map<String, String> env) {
    MemoryAgentStore store = MemoryAgentStore.fromEnvironment(env);
    synchronized (stores) {
      stores.add(store);
    }
    return store;
  }

  /** Waits, with a bound, for a process to exit; whether it did. */
  static boolean exits(long pid, Duration within) throws Exception {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty()) {
      return true;
    }
    try {
      handle.get().onExit().get(within.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return !handle.get().isAlive();
    }
  }

  /** Live processes whose command line serves {@code socket}. */
  static List<ProcessHandle> agentsServing(Path socket) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                commandLine(p).contains(Agent.class.getName())
                    && commandLine(p).contains(socket.toString()))
        .toList();
  }

  /**
   * The full command line: /proc has it whole where there is /proc (ProcessHandle.Info may cut it).
   */
  private static String commandLine(ProcessHandle p) {
    Path cmdline = Path.of("/proc", Long.toString(p.pid()), "cmdline");
    try {
      if (Files.isReadable(cmdline)) {
        return Files.readString(cmdline).replace('\0', ' ');
      }
    } catch (IOException | UncheckedIOException gone) {
      return "";
    }
    return p.info().commandLine().orElse("");
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    List<MemoryAgentStore> all;
    synchronized (stores) {
      all = List.copyOf(stores);
      stores.clear();
    }
    for (MemoryAgentStore store : all) {
      try {
        store.shutdownAgent();
      } catch (RuntimeException alreadyUnusable) {
        // The test made the directory unusable on purpose; the processes are handled below.
      }
      for (Process p : store.startedProcesses()) {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      }
      for (ProcessHandle p : agentsServing(store.socket())) {
        p.destroyForcibly();
      }
    }
  }
}
