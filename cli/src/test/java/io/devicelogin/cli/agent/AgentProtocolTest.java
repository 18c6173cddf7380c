package io.devicelogin.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.cli.store.TestTokens;
import io.devicelogin.cli.store.TokenSetCodec;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.testing.NoSecretsInOutput;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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
    Path dir =
        Files.createDirectory(
            runtime.resolve("devicelogin"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    socket = dir.resolve("agent.sock");
    agent =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new Agent(socket, Duration.ofHours(1)).serve();
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
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
            () ->
                AgentProtocol.write(
                    null,
                    com.fasterxml.jackson.databind.node.TextNode.valueOf(
                        "x".repeat(AgentProtocol.MAX_FRAME))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("too large");
    client().ping();
  }

  @Test
  void garbageIsDroppedAndTheAgentGoesOn() throws Exception {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      byte[] junk = "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
  void durationsAreReadAsPeopleWriteThem() {
    assertThat(IdleTimeout.parse("8h")).isEqualTo(Duration.ofHours(8));
    assertThat(IdleTimeout.parse("30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(IdleTimeout.parse("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(IdleTimeout.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(IdleTimeout.parse("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
    assertThat(IdleTimeout.parse(IdleTimeout.format(Duration.ofHours(8))))
        .isEqualTo(Duration.ofHours(8));
    assertThatThrownBy(() -> IdleTimeout.parse("soon")).hasMessageContaining("not a duration");
    assertThatThrownBy(() -> IdleTimeout.parse("0s")).hasMessageContaining("positive");
  }
}
