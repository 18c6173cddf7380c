package io.devicelogin.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.devicelogin.cli.store.MemoryAgentStore;
import io.devicelogin.cli.store.TestTokens;
import io.devicelogin.cli.store.TokenSetCodec;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.client.text.DurationText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The agent's protocol, against an agent running inside the test's JVM. */
@EnabledOnOs({OS.LINUX, OS.MAC})
@ExtendWith(NoSecretsInOutput.class)
class AgentProtocolTest {
  @TempDir Path runtime;
  private Path socket;
  private CompletableFuture<Integer> agent;

  @BeforeEach
  void startAgent() throws Exception {
    Path dir = Agents.privateDirectory(runtime.resolve("devicelogin"));
    socket = dir.resolve("agent.sock");
    agent =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new Agent(socket, Duration.ofHours(1)).serve();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    // Wait, bounded, until it answers (or fails to start).
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        client().ping();
        return;
      } catch (IOException notYet) {
        assertThat(agent).isNotDone();
        assertThat(System.nanoTime()).as("agent answers within 20 s").isLessThan(deadline);
        Thread.onSpinWait();
      }
    }
  }

  @AfterEach
  void stopAgent() throws Exception {
    try {
      client().send(AgentProtocol.request("shutdown"));
    } catch (IOException alreadyStopped) {
      // The test stopped it.
    }
    assertThat(agent.get(20, TimeUnit.SECONDS)).isEqualTo(Agent.EXIT_OK);
  }

  private AgentClient client() {
    return new AgentClient(socket, Duration.ofSeconds(5));
  }

  @Test
  void putGetDeletePing() throws Exception {
    TokenSet tokens = TestTokens.full();
    ObjectNode put = AgentProtocol.request("put").put("profile", "work");
    put.set("tokens", TokenSetCodec.toJson(tokens));
    assertThat(client().send(put).path("ok").asBoolean()).isTrue();

    ObjectNode got = client().send(AgentProtocol.request("get").put("profile", "work"));
    TestTokens.assertSame(TokenSetCodec.fromJson(got.get("tokens")), tokens);
    assertThat(client().send(AgentProtocol.request("get").put("profile", "other")).has("tokens"))
        .isFalse();

    assertThat(
            client()
                .send(AgentProtocol.request("delete").put("profile", "work"))
                .path("ok")
                .asBoolean())
        .isTrue();
    assertThat(client().send(AgentProtocol.request("get").put("profile", "work")).has("tokens"))
        .isFalse();

    ObjectNode pong = client().send(AgentProtocol.request("ping"));
    assertThat(pong.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    assertThat(pong.path("version").asInt()).isEqualTo(AgentProtocol.VERSION);
  }

  @Test
  void badRequestsGetErrorsNotCrashes() throws Exception {
    assertThat(client().send(AgentProtocol.request("explode")).path("error").asText())
        .isEqualTo("missing or invalid profile");
    assertThat(
            client()
                .send(AgentProtocol.request("explode").put("profile", "x"))
                .path("error")
                .asText())
        .isEqualTo("unknown op");
    assertThat(
            client()
                .send(AgentProtocol.request("get").put("profile", "../etc"))
                .path("ok")
                .asBoolean())
        .isFalse();
    assertThat(
            client()
                .send(AgentProtocol.request("put").put("profile", "x").put("tokens", "nope"))
                .path("error")
                .asText())
        .isEqualTo("put needs a tokens object");
    client().ping(); // Still serving.
  }

  @Test
  void anOversizedFrameIsRefusedBeforeItIsRead() throws Exception {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(ByteBuffer.allocate(4).putInt(AgentProtocol.MAX_FRAME + 1).flip());
      // The agent closes the connection without an answer.
      assertThat(channel.read(ByteBuffer.allocate(16))).isEqualTo(-1);
    }
    assertThatThrownBy(
            () -> AgentProtocol.write(null, TextNode.valueOf("x".repeat(AgentProtocol.MAX_FRAME))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("too large");
    client().ping();
  }

  @Test
  void garbageIsDroppedAndTheAgentGoesOn() throws Exception {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      byte[] junk = "not json".getBytes(StandardCharsets.UTF_8);
      channel.write(ByteBuffer.allocate(4 + junk.length).putInt(junk.length).put(junk).flip());
      assertThat(channel.read(ByteBuffer.allocate(16))).isEqualTo(-1);
    }
    client().ping();
  }

  @Test
  void afterShutdownNothingIsServedAndTheSocketIsGone() throws Exception {
    assertThat(client().send(AgentProtocol.request("shutdown")).path("ok").asBoolean()).isTrue();
    assertThat(agent.get(20, TimeUnit.SECONDS)).isEqualTo(Agent.EXIT_OK);
    assertThat(socket).doesNotExist();
    assertThatThrownBy(() -> client().ping()).isInstanceOf(AgentClient.NoAgent.class);
  }

  @Test
  void theIdleTimeoutTakesTheSameDurationsAsTheConfigFile() {
    for (String form : List.of("8h", "30m", "2s", "500ms", "1d", "90", "PT1H30M")) {
      Duration meant = DurationText.parse(form).orElseThrow();
      MemoryAgentStore store =
          MemoryAgentStore.fromEnvironment(Agents.env(runtime, MemoryAgentStore.IDLE_ENV, form));
      assertThat(store.idle()).as(form).isEqualTo(meant);
      assertThat(DurationText.parse(DurationText.format(meant)))
          .as("what the store hands the agent it starts, read back")
          .contains(meant);
    }
    assertThatThrownBy(
            () ->
                MemoryAgentStore.fromEnvironment(
                    Agents.env(runtime, MemoryAgentStore.IDLE_ENV, "soon")))
        .hasMessageContaining(MemoryAgentStore.IDLE_ENV + " is not a duration")
        .hasMessageContaining(DurationText.EXAMPLES);
    assertThatThrownBy(
            () ->
                MemoryAgentStore.fromEnvironment(
                    Agents.env(runtime, MemoryAgentStore.IDLE_ENV, "0s")))
        .hasMessageContaining("must be longer than zero");
  }

  @Test
  void anAgentGivenAnIdleTimeoutThatIsNotADurationSaysWhichFormsWork() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Agent.run(
            new String[] {"--socket", socket.toString(), "--idle", "soon"},
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(exit).isEqualTo(Agent.EXIT_USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--idle is not a duration")
        .contains(DurationText.EXAMPLES);
  }
}
