package io.devicelogin.cli.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** One request to the agent on {@code socket}, and its response. */
public final class AgentClient {
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "devicelogin-agent-client-timeout");
            t.setDaemon(true);
            return t;
          });

  private final Path socket;
  private final Duration timeout;

  public AgentClient(Path socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
  }

  /**
   * Sends {@code request} and returns the response.
   *
   * @throws NoAgent if no agent listens on the socket (no socket file, or a stale one)
   * @throws IOException if the agent failed to answer in time or broke the protocol
   */
  public ObjectNode send(ObjectNode request) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    // Blocking channels have no read timeout; closing the channel from another thread ends a read.
    ScheduledFuture<?> deadline =
        WATCHDOG.schedule(() -> close(channel), timeout.toMillis(), TimeUnit.MILLISECONDS);
    try (channel) {
      try {
        channel.connect(UnixDomainSocketAddress.of(socket));
      } catch (SocketException | NoSuchFileException e) {
        // No socket file ("No such file or directory"), or a dead agent's ("Connection refused").
        throw new NoAgent("no agent listens on " + socket + " (" + e.getMessage() + ")");
      }
      AgentPeer.requireSameUser(channel, socket.getParent());
      AgentProtocol.write(channel, request);
      return AgentProtocol.read(channel);
    } catch (AsynchronousCloseException e) {
      throw new IOException("the agent did not answer within " + timeout.toSeconds() + " s");
    } finally {
      deadline.cancel(false);
    }
  }

  /** Whether an agent answers a ping; its pid if so. */
  public long ping() throws IOException {
    ObjectNode response = send(AgentProtocol.request("ping"));
    if (!response.path("ok").asBoolean(false)) {
      throw new IOException("the agent refused a ping: " + response.path("error").asText());
    }
    return response.path("pid").asLong(-1);
  }

  private static void close(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Closing to interrupt; nothing more to do.
    }
  }

  /** Nothing listens on the socket. */
  public static final class NoAgent extends IOException {
    private static final long serialVersionUID = 1L;

    NoAgent(String message) {
      super(message);
    }
  }
}
