package io.devicelogin.cli.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.cli.profile.ProfileNames;
import io.devicelogin.client.text.DurationText;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The in-memory token agent: a background process that holds each profile's tokens in memory only
 * and serves them to the same user's {@code devicelogin} commands over a Unix domain socket (see
 * {@link AgentProtocol}).
 *
 * <pre>java -cp CLASSPATH io.devicelogin.cli.agent.Agent --socket PATH [--idle 8h]</pre>
 *
 * <p>It never writes a token anywhere: no file, no log (it has no output at all). It exits after
 * {@code --idle} without a request (pings do not count), on a {@code shutdown} request, or when it
 * loses its socket. The socket's directory must be the user's own with mode {@code 0700}; the
 * socket itself is {@code 0600}, and each connection's peer must be the same user.
 *
 * <p>Only one agent serves a socket: each holds an exclusive lock on {@code agent.lock} beside it
 * for its whole life. An agent that finds the lock held exits at once if the holder answers, and
 * waits for the lock otherwise (the holder is starting or stopping). Whoever holds the lock owns
 * the socket path, so a socket file found then is a dead agent's and is replaced.
 */
public final class Agent {
  /** Exit codes, for whoever started the agent. */
  public static final int EXIT_OK = 0;

  static final int EXIT_USAGE = 2;
  public static final int EXIT_UNSAFE_DIRECTORY = 3;
  public static final int EXIT_CANNOT_SERVE = 4;

  /** How long an agent started without {@code --idle} waits for a request before it exits. */
  public static final Duration DEFAULT_IDLE = Duration.ofHours(8);

  private static final Duration LOCK_WAIT = Duration.ofSeconds(15);
  private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);

  private final Path socket;
  private final Duration idle;
  private final Map<String, ObjectNode> tokens = new HashMap<>();
  private final Object state = new Object();
  private long lastActivity = System.nanoTime();
  private boolean stopping;
  private ServerSocketChannel server;
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(
          1,
          r -> {
            Thread t = new Thread(r, "agent-timer");
            t.setDaemon(true);
            return t;
          });

  Agent(Path socket, Duration idle) {
    this.socket = socket;
    this.idle = idle;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.err));
  }

  static int run(String[] args, PrintStream err) {
    Path socket = null;
    Duration idle = DEFAULT_IDLE;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--socket" -> socket = Path.of(args[++i]).toAbsolutePath();
          case "--idle" -> idle = DurationText.parsePositive("--idle", args[++i]);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (socket == null) {
        throw new IllegalArgumentException("--socket PATH is required");
      }
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      err.println("usage: Agent --socket PATH [--idle 8h]: " + e.getMessage());
      return EXIT_USAGE;
    }
    ignoreTerminalSignals();
    try {
      PrivateDirectory.ensure(socket.getParent());
    } catch (IOException e) {
      err.println("devicelogin agent: " + e.getMessage());
      return EXIT_UNSAFE_DIRECTORY;
    }
    try {
      return new Agent(socket, idle).serve();
    } catch (IOException e) {
      err.println("devicelogin agent: cannot serve " + socket + ": " + e.getMessage());
      return EXIT_CANNOT_SERVE;
    }
  }

  int serve() throws IOException {
    Path lockFile = socket.resolveSibling("agent.lock");
    try (FileChannel lockChannel = openLockFile(lockFile)) {
      FileLock lock = acquire(lockChannel);
      if (lock == null) {
        return EXIT_OK; // Another agent serves this socket.
      }
      Files.deleteIfExists(socket); // A dead agent's: whoever held the lock before us is gone.
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      if (PrivateDirectory.posix()) {
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
      }
      scheduleIdleCheck(idle);
      try {
        acceptLoop();
      } finally {
        synchronized (state) {
          stopping = true;
          tokens.clear();
        }
        server.close();
        // Remove our socket before the lock goes, so that the next agent's socket is never ours to
        // remove.
        Files.deleteIfExists(socket);
        lock.release();
      }
    }
    return EXIT_OK;
  }

  private static FileChannel openLockFile(Path lockFile) throws IOException {
    if (PrivateDirectory.posix() && !Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
      try {
        return FileChannel.open(
            lockFile,
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (FileAlreadyExistsException raced) {
        // Another agent made it; open it as it is.
      }
    }
    return FileChannel.open(lockFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  }

  /** The lock, or null when another agent already answers on the socket. */
  private FileLock acquire(FileChannel lockChannel) throws IOException {
    long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
    long pause = 10;
    while (true) {
      FileLock lock = lockChannel.tryLock();
      if (lock != null) {
        return lock;
      }
      try {
        new AgentClient(socket, Duration.ofSeconds(2)).ping();
        return null;
      } catch (IOException notAnswering) {
        // The holder is starting up or shutting down: wait for one or the other.
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("another process holds " + lockChannel + " but does not answer");
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
      pause = Math.min(pause * 2, 200);
    }
  }

  private void acceptLoop() {
    while (true) {
      SocketChannel connection;
      try {
        connection = server.accept();
      } catch (IOException closed) {
        return; // Closed by the idle timer or a shutdown request.
      }
      Thread handler = new Thread(() -> handle(connection), "agent-connection");
      handler.setDaemon(true);
      handler.start();
    }
  }

  private void handle(SocketChannel connection) {
    ScheduledFuture<?> deadline =
        timers.schedule(
            () -> closeQuietly(connection), CONNECTION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    try (connection) {
      AgentPeer.requireSameUser(connection, socket.getParent());
      ObjectNode request = AgentProtocol.read(connection);
      ObjectNode response = answer(request);
      AgentProtocol.write(connection, response);
      if ("shutdown".equals(request.path("op").asText()) && response.path("ok").asBoolean()) {
        stop();
      }
    } catch (IOException ignored) {
      // A client that broke the protocol, timed out or is another user gets nothing.
    } finally {
      deadline.cancel(false);
    }
  }

  ObjectNode answer(ObjectNode request) {
    String op = request.path("op").asText("");
    synchronized (state) {
      if (stopping) {
        return AgentProtocol.error("the agent is shutting down");
      }
      if (op.equals("ping")) {
        return AgentProtocol.ok()
            .put("pid", ProcessHandle.current().pid())
            .put("version", AgentProtocol.VERSION);
      }
      lastActivity = System.nanoTime();
      if (op.equals("shutdown")) {
        stopping = true;
        tokens.clear();
        return AgentProtocol.ok();
      }
      String profile = request.path("profile").asText(null);
      if (!ProfileNames.isValid(profile)) {
        return AgentProtocol.error("missing or invalid profile");
      }
      return switch (op) {
        case "get" -> {
          ObjectNode held = tokens.get(profile);
          ObjectNode response = AgentProtocol.ok();
          if (held != null) {
            response.set("tokens", held.deepCopy());
          }
          yield response;
        }
        case "put" -> {
          JsonNode value = request.get("tokens");
          if (value == null || !value.isObject()) {
            yield AgentProtocol.error("put needs a tokens object");
          }
          tokens.put(profile, (ObjectNode) value);
          yield AgentProtocol.ok();
        }
        case "delete" -> {
          tokens.remove(profile);
          yield AgentProtocol.ok();
        }
        default -> AgentProtocol.error("unknown op");
      };
    }
  }

  private void scheduleIdleCheck(Duration after) {
    timers.schedule(
        () -> {
          long remaining;
          synchronized (state) {
            remaining = idle.toNanos() - (System.nanoTime() - lastActivity);
            if (remaining <= 0) {
              stopping = true;
              tokens.clear();
            }
          }
          if (remaining <= 0) {
            stop();
          } else {
            scheduleIdleCheck(Duration.ofNanos(remaining));
          }
        },
        Math.max(1, after.toMillis()),
        TimeUnit.MILLISECONDS);
  }

  /** Ends the accept loop; {@link #serve} then removes the socket and releases the lock. */
  private void stop() {
    closeQuietly(server);
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // Closing to stop; nothing more to do.
    }
  }

  /**
   * Ctrl-C in the terminal that ran {@code login} and the terminal's hang-up reach every process of
   * its process group; the agent must outlive both. (Where {@code setsid} exists, the agent has a
   * session of its own anyway.) {@code sun.misc.Signal} through reflection: it is the only way, and
   * reflection keeps the compiler's proprietary-API warning out of the build.
   */
  private static void ignoreTerminalSignals() {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object ignore = handler.getField("SIG_IGN").get(null);
      for (String name : new String[] {"INT", "HUP"}) {
        try {
          Object s = signal.getConstructor(String.class).newInstance(name);
          signal.getMethod("handle", signal, handler).invoke(null, s, ignore);
        } catch (ReflectiveOperationException | IllegalArgumentException unsupported) {
          // Not a signal on this platform.
        }
      }
    } catch (ReflectiveOperationException | LinkageError unavailable) {
      // A runtime without sun.misc: rely on setsid.
    }
  }
}
