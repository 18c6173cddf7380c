package io.devicelogin.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.cli.store.MemoryAgentStore;
import io.devicelogin.cli.store.StoreUnavailableException;
import io.devicelogin.cli.store.TestTokens;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.testing.NoSecretsInOutput;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The in-memory agent as the CLI uses it: started on demand, private, single, and short-lived. */
@EnabledOnOs({OS.LINUX, OS.MAC})
@ExtendWith(NoSecretsInOutput.class)
class MemoryAgentStoreTest {
  @RegisterExtension final Agents agents = new Agents();
  @TempDir Path runtime;

  @Test
  void theFirstSaveStartsAnAgentThatHoldsTokensPerProfile() {
    MemoryAgentStore store = agents.store(Agents.env(runtime));
    assertThat(store.kind()).isEqualTo("memory");
    assertThat(store.location())
        .isEqualTo("in-memory agent (socket " + runtime.resolve("devicelogin/agent.sock") + ")");
    assertThat(store.isRunning()).isFalse();
    assertThat(store.load("work")).isEmpty();
    store.delete("work");
    assertThat(store.isRunning()).as("reading and deleting never start an agent").isFalse();

    TokenSet work = TestTokens.full();
    TokenSet home = TestTokens.minimal();
    store.save("work", work);
    store.save("home", home);
    assertThat(store.isRunning()).isTrue();

    TestTokens.assertSame(store.load("work").orElseThrow(), work);
    TestTokens.assertSame(store.load("home").orElseThrow(), home);
    store.delete("work");
    assertThat(store.load("work")).isEmpty();
    TestTokens.assertSame(store.load("home").orElseThrow(), home);

    // Another CLI process's store object reaches the same agent.
    MemoryAgentStore other = agents.store(Agents.env(runtime));
    TestTokens.assertSame(other.load("home").orElseThrow(), home);
  }

  @Test
  void shutdownStopsTheAgentAndForgetsEverything() throws Exception {
    MemoryAgentStore store = agents.store(Agents.env(runtime));
    store.save("work", TestTokens.full());
    long pid = store.agentPid().orElseThrow();

    assertThat(store.shutdownAgent()).isTrue();
    assertThat(Agents.exits(pid, Duration.ofSeconds(20))).isTrue();
    assertThat(store.socket()).doesNotExist();
    assertThat(store.load("work")).isEmpty();
    assertThat(store.shutdownAgent()).as("no agent left to stop").isFalse();
  }

  @Test
  void theAgentExitsOnItsOwnAfterTheIdleTimeout() throws Exception {
    MemoryAgentStore store = agents.store(Agents.env(runtime, MemoryAgentStore.IDLE_ENV, "2s"));
    store.save("work", TestTokens.full());
    long pid = store.agentPid().orElseThrow();

    // An explicit, bounded wait for the process to end: 2 s idle, generous room for a slow machine.
    assertThat(Agents.exits(pid, Duration.ofSeconds(30))).as("the agent exited by itself").isTrue();
    assertThat(store.socket()).doesNotExist();
    assertThat(store.load("work")).isEmpty();
  }

  @Test
  void theDirectoryIsTheUsersAloneAndTheSocketTooOnLinux() throws Exception {
    MemoryAgentStore store = agents.store(Agents.env(runtime));
    store.save("work", TestTokens.minimal());

    Path dir = store.socket().getParent();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(Files.getAttribute(dir, "unix:uid")).isEqualTo(PrivateDirectory.currentUid());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.socket())))
        .isEqualTo("rw-------");
    assertThat((Integer) Files.getAttribute(store.socket(), "unix:mode") & 0170000)
        .as("a socket")
        .isEqualTo(0140000);
  }

  @Test
  void withoutXdgRuntimeDirTheSocketIsInAPerUserDirectoryUnderTmp() {
    Path socket = AgentPaths.socket(Map.of());
    assertThat(socket)
        .isEqualTo(Path.of("/tmp/devicelogin-" + PrivateDirectory.currentUid(), "agent.sock"));
    assertThat(AgentPaths.socket(Map.of("XDG_RUNTIME_DIR", "/run/user/1000")))
        .isEqualTo(Path.of("/run/user/1000/devicelogin/agent.sock"));
    assertThat(
            AgentPaths.socket(
                Map.of(AgentPaths.SOCKET_ENV, "/x/y.sock", "XDG_RUNTIME_DIR", "/run/user/1000")))
        .isEqualTo(Path.of("/x/y.sock"));
  }

  @Test
  void anExistingDirectoryThatOthersCanOpenIsRefused() throws Exception {
    Path dir = Agents.privateDirectory(runtime.resolve("devicelogin"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThatThrownBy(() -> MemoryAgentStore.fromEnvironment(Agents.env(runtime)))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("rwxr-xr-x")
        .hasMessageContaining("chmod 700");
  }

  @Test
  void aSymbolicLinkInPlaceOfTheDirectoryIsRefused() throws Exception {
    Path elsewhere = Agents.privateDirectory(runtime.resolve("elsewhere"));
    Files.createSymbolicLink(runtime.resolve("devicelogin"), elsewhere);

    assertThatThrownBy(() -> MemoryAgentStore.fromEnvironment(Agents.env(runtime)))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("is not a directory");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void aDirectoryOwnedBySomeoneElseIsRefused() throws Exception {
    Assumptions.assumeTrue(
        PrivateDirectory.currentUid() == 0, "only root can give a directory to another user");
    Path dir = Agents.privateDirectory(runtime.resolve("devicelogin"));
    Files.setAttribute(dir, "unix:uid", 65534);

    assertThatThrownBy(() -> MemoryAgentStore.fromEnvironment(Agents.env(runtime)))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("belongs to user id 65534, not to you (0)");
  }

  @Test
  void concurrentStartsEndWithOneAgent() throws Exception {
    int clis = 4;
    ExecutorService pool = Executors.newFixedThreadPool(clis);
    CountDownLatch ready = new CountDownLatch(clis);
    List<MemoryAgentStore> stores = new ArrayList<>();
    List<TokenSet> sets = new ArrayList<>();
    List<Future<Long>> pids = new ArrayList<>();
    try {
      for (int i = 0; i < clis; i++) {
        MemoryAgentStore store = agents.store(Agents.env(runtime));
        TokenSet tokens = TestTokens.minimal();
        stores.add(store);
        sets.add(tokens);
        String profile = "p" + i;
        Callable<Long> cli =
            () -> {
              ready.countDown();
              ready.await();
              store.save(profile, tokens);
              return store.agentPid().orElseThrow();
            };
        pids.add(pool.submit(cli));
      }
      Set<Long> distinct = new HashSet<>();
      for (Future<Long> pid : pids) {
        distinct.add(pid.get(60, TimeUnit.SECONDS));
      }
      assertThat(distinct).as("every CLI talks to the same agent").hasSize(1);
      int launched = stores.stream().mapToInt(s -> s.startedProcesses().size()).sum();
      assertThat(launched).as("agents were started").isGreaterThanOrEqualTo(1);
      // Every agent that lost the race exits at once.
      for (MemoryAgentStore store : stores) {
        for (Process p : store.startedProcesses()) {
          if (p.pid() != distinct.iterator().next()) {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("a losing agent exits").isTrue();
            assertThat(p.exitValue()).isEqualTo(Agent.EXIT_OK);
          }
        }
      }
      assertThat(Agents.agentsServing(stores.get(0).socket())).hasSize(1);
      for (int i = 0; i < clis; i++) {
        TestTokens.assertSame(stores.get(0).load("p" + i).orElseThrow(), sets.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aDeadAgentsSocketIsReplaced() throws Exception {
    MemoryAgentStore store = agents.store(Agents.env(runtime));
    store.save("work", TestTokens.full());
    long first = store.agentPid().orElseThrow();
    ProcessHandle.of(first).orElseThrow().destroyForcibly(); // SIGKILL: no chance to clean up.
    assertThat(Agents.exits(first, Duration.ofSeconds(20))).isTrue();
    assertThat(store.socket()).as("the dead agent's socket file is left behind").exists();
    assertThat(store.isRunning()).isFalse();
    assertThat(store.load("work")).as("its tokens died with it").isEmpty();

    TokenSet tokens = TestTokens.minimal();
    store.save("work", tokens);
    long second = store.agentPid().orElseThrow();
    assertThat(second).isNotEqualTo(first);
    TestTokens.assertSame(store.load("work").orElseThrow(), tokens);
  }

  @Test
  void aStaleSocketFileWithNothingBehindItIsReplaced() throws Exception {
    Path dir = Agents.privateDirectory(runtime.resolve("devicelogin"));
    Path socket = dir.resolve("agent.sock");
    try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
    }
    assertThat(socket).exists(); // Closing a bound socket leaves its file.

    MemoryAgentStore store = agents.store(Agents.env(runtime));
    TokenSet tokens = TestTokens.minimal();
    store.save("work", tokens);
    TestTokens.assertSame(store.load("work").orElseThrow(), tokens);
  }

  @Test
  void theAgentHasNoEnvironmentAndASessionOfItsOwn() throws Exception {
    MemoryAgentStore store = agents.store(Agents.env(runtime));
    store.save("work", TestTokens.minimal());
    long pid = store.agentPid().orElseThrow();
    Path proc = Path.of("/proc", Long.toString(pid));
    Assumptions.assumeTrue(Files.isDirectory(proc), "needs /proc");

    assertThat(Files.readAllBytes(proc.resolve("environ")))
        .as("no inherited environment")
        .isEmpty();
    String[] stat = Files.readString(proc.resolve("stat")).replaceFirst("^.*\\) ", "").split(" ");
    String[] ours =
        Files.readString(Path.of("/proc/self/stat")).replaceFirst("^.*\\) ", "").split(" ");
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      assertThat(stat[3]).as("session id").isNotEqualTo(ours[3]).isEqualTo(Long.toString(pid));
    }
  }
}
