package io.devicelogin.client.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A port on loopback whose connections a test's relay or proxy handles on threads of its own, with
 * every socket it opened closed together when the test is done: the listening half of {@code
 * TestProxy} and {@code WireTap}.
 */
public final class LoopbackListener implements AutoCloseable {
  private final ServerSocket listener;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads;

  /**
   * Listens on a free loopback port and hands each accepted connection to {@code handler}, on a
   * daemon thread named {@code name}.
   */
  public LoopbackListener(String name, Consumer<Socket> handler) throws IOException {
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    this.listener = new ServerSocket();
    this.listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    threads.execute(() -> acceptLoop(handler));
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://127.0.0.1:" + listener.getLocalPort();
  }

  /** Closes {@code socket} with the others when this closes; returns it. */
  public Socket track(Socket socket) {
    sockets.add(socket);
    return socket;
  }

  /** Runs {@code task} on one of this listener's threads. */
  public void execute(Runnable task) {
    threads.execute(task);
  }

  private void acceptLoop(Consumer<Socket> handler) {
    while (!listener.isClosed()) {
      try {
        Socket accepted = track(listener.accept());
        threads.execute(() -> handler.accept(accepted));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  public static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Already gone.
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    sockets.forEach(LoopbackListener::closeQuietly);
    threads.shutdownNow();
  }
}
