package io.devicelogin.bench.load;

import io.devicelogin.bench.target.ProcessCpu;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop HTTP/1.1 load generator: a fixed number of keep-alive connections, each sending its
 * next request as soon as the answer to the last one has arrived, as a CLI fleet does.
 *
 * <p>It is written for a load generator that shares the machine with the server: each loader thread
 * drives its share of the connections from one {@link Selector}, requests are bytes prepared by the
 * {@link Session}, and an answer is parsed only as far as its status, its framing ({@code
 * Content-Length} or chunked) and its body. Latency is measured from the first byte written to the
 * last byte read, in microseconds, into an HdrHistogram; only answers that complete inside the
 * measured window count.
 */
public final class HttpLoad {
  /** One connection's conversation: what to send next, and what came back. */
  public interface Session {
    /**
     * The next request, a complete HTTP/1.1 message; null when this connection has nothing more to
     * send.
     */
    byte[] next();

    /** The answer to the request {@link #next()} returned last. */
    void answered(int status, byte[] body);
  }

  /** Names the kind of an answer for the counts ({@code ok}, {@code authorization_pending}, …). */
  public interface Classifier {
    String kind(int status, byte[] body);
  }

  /**
   * @param connections keep-alive connections, each with one request in flight
   * @param threads loader threads sharing the connections
   * @param warmup answers before this are not counted
   * @param duration the measured window after the warm-up; a run also ends when every session is
   *     done
   */
  public record Options(
      InetSocketAddress address,
      int connections,
      int threads,
      Duration warmup,
      Duration duration,
      long serverPid) {
    public Options {
      if (connections < 1 || threads < 1) {
        throw new IllegalArgumentException("connections and threads must be at least 1");
      }
      threads = Math.min(threads, connections);
    }

    /** Without reading the server's CPU time. */
    public Options(
        InetSocketAddress address,
        int connections,
        int threads,
        Duration warmup,
        Duration duration) {
      this(address, connections, threads, warmup, duration, 0);
    }

    /**
     * The same, reading the CPU time of the server process {@code pid} over the measured window.
     */
    public Options withServer(long pid) {
      return new Options(address, connections, threads, warmup, duration, pid);
    }
  }

  private HttpLoad() {}

  /** Runs the load and returns what was measured. */
  public static LoadResult run(
      Options options, IntFunction<Session> sessions, Classifier classifier) {
    List<Loader> loaders = new ArrayList<>();
    for (int t = 0; t < options.threads(); t++) {
      loaders.add(new Loader(options, classifier));
    }
    for (int c = 0; c < options.connections(); c++) {
      loaders.get(c % options.threads()).add(sessions.apply(c));
    }
    long start = System.nanoTime();
    long measureFrom = start + options.warmup().toNanos();
    long measureTo = measureFrom + options.duration().toNanos();
    CpuWatch cpu =
        options.serverPid() > 0 ? new CpuWatch(options.serverPid(), measureFrom, measureTo) : null;
    CountDownLatch done = new CountDownLatch(loaders.size());
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < loaders.size(); t++) {
      Loader loader = loaders.get(t);
      Thread thread =
          new Thread(
              () -> {
                try {
                  loader.loop(measureFrom, measureTo);
                } finally {
                  done.countDown();
                }
              },
              "load-" + t);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    Histogram latency = new Histogram(3_600_000_000L, 3);
    Map<String, Long> kinds = new TreeMap<>();
    long errors = 0;
    long measuredEnd = measureFrom;
    String firstError = null;
    for (Loader loader : loaders) {
      if (loader.failure != null) {
        throw loader.failure;
      }
      latency.add(loader.latency);
      loader.kinds.forEach((k, v) -> kinds.merge(k, v, Long::sum));
      errors += loader.errors;
      measuredEnd = Math.max(measuredEnd, loader.lastAnswer);
      if (firstError == null) {
        firstError = loader.firstError;
      }
    }
    long window = Math.min(measureTo, Math.max(measuredEnd, measureFrom + 1)) - measureFrom;
    long serverCpu = cpu == null ? -1 : cpu.used();
    long loaderCpu = cpu == null ? -1 : cpu.usedHere();
    return new LoadResult(
        options.connections(),
        Duration.ofNanos(window),
        latency,
        kinds,
        errors,
        firstError,
        serverCpu,
        loaderCpu);
  }

  /**
   * Reads a process's CPU time when the measured window opens and when it closes (or the run ends).
   */
  private static final class CpuWatch {
    private final Thread thread;
    private volatile long atStart = -1;
    private volatile long atEnd = -1;
    private volatile long hereAtStart = -1;
    private volatile long hereAtEnd = -1;

    CpuWatch(long pid, long from, long to) {
      thread =
          new Thread(
              () -> {
                try {
                  sleepUntil(from);
                  atStart = ProcessCpu.cpuNanos(pid);
                  hereAtStart = ProcessCpu.cpuNanos(ProcessHandle.current().pid());
                  sleepUntil(to);
                } catch (InterruptedException e) {
                  // the run ended early: read now
                }
                atEnd = ProcessCpu.cpuNanos(pid);
                hereAtEnd = ProcessCpu.cpuNanos(ProcessHandle.current().pid());
              },
              "load-cpu-watch");
      thread.setDaemon(true);
      thread.start();
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
      long wait;
      while ((wait = nanoTime - System.nanoTime()) > 0) {
        Thread.sleep(Math.max(1, wait / 1_000_000), (int) (wait % 1_000_000));
      }
    }

    long used() {
      thread.interrupt();
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return atStart < 0 || atEnd < 0 ? -1 : atEnd - atStart;
    }

    /** The load generator's own CPU time over the window (call after {@link #used()}). */
    long usedHere() {
      return hereAtStart < 0 || hereAtEnd < 0 ? -1 : hereAtEnd - hereAtStart;
    }
  }

  /** One thread's connections. */
  private static final class Loader {
    private final Options options;
    private final Classifier classifier;
    private final List<Connection> connections = new ArrayList<>();

    /** Of the answers in the measured window only, in microseconds, up to an hour. */
    private final Histogram latency = new Histogram(3_600_000_000L, 3);

    private final Map<String, Long> kinds = new TreeMap<>();

    /** Connection errors, and the first one's text for the report. */
    private long errors;

    private String firstError;

    /** When the last counted answer arrived: a run whose sessions all end early ends there. */
    private long lastAnswer;

    /** What ended the loop itself, thrown again by {@link HttpLoad#run}. */
    private RuntimeException failure;

    Loader(Options options, Classifier classifier) {
      this.options = options;
      this.classifier = classifier;
    }

    void add(Session session) {
      connections.add(new Connection(session));
    }

    void loop(long measureFrom, long measureTo) {
      try (Selector selector = Selector.open()) {
        int open = 0;
        for (Connection c : connections) {
          if (c.connect(selector, options.address())) {
            open++;
          }
        }
        while (open > 0) {
          long now = System.nanoTime();
          if (now >= measureTo) {
            break;
          }
          selector.select(Math.max(1, (measureTo - now) / 1_000_000));
          for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            Connection c = (Connection) key.attachment();
            boolean stillOpen;
            try {
              stillOpen = c.ready(key, measureFrom, measureTo);
            } catch (IOException e) {
              error(e.toString());
              stillOpen = c.reconnect(selector, options.address());
            }
            if (!stillOpen) {
              open--;
            }
          }
        }
        for (Connection c : connections) {
          c.close();
        }
      } catch (IOException e) {
        failure = new UncheckedIOException(e);
      } catch (RuntimeException e) {
        failure = e;
      }
    }

    void error(String what) {
      errors++;
      if (firstError == null) {
        firstError = what;
      }
    }

    /** A keep-alive connection with at most one request in flight. */
    private final class Connection {
      private final Session session;
      private SocketChannel channel;
      private SelectionKey key;
      private ByteBuffer out;
      private ByteBuffer in = ByteBuffer.allocate(8192);
      private long sentAt;
      private final ResponseParser parser = new ResponseParser();

      Connection(Session session) {
        this.session = session;
      }

      boolean connect(Selector selector, InetSocketAddress address) throws IOException {
        channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.connect(address);
        channel.configureBlocking(false);
        key = channel.register(selector, 0, this);
        return send();
      }

      boolean reconnect(Selector selector, InetSocketAddress address) {
        close();
        try {
          in.clear();
          parser.reset();
          return connect(selector, address);
        } catch (IOException e) {
          error("reconnect: " + e);
          return false;
        }
      }

      /** Starts the next request; false when the session has no more. */
      boolean send() throws IOException {
        byte[] request = session.next();
        if (request == null) {
          close();
          return false;
        }
        out = ByteBuffer.wrap(request);
        sentAt = System.nanoTime();
        channel.write(out);
        key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        return true;
      }

      boolean ready(SelectionKey k, long measureFrom, long measureTo) throws IOException {
        if (k.isWritable()) {
          channel.write(out);
          if (!out.hasRemaining()) {
            k.interestOps(SelectionKey.OP_READ);
          }
          return true;
        }
        int n = channel.read(in);
        if (n < 0) {
          throw new IOException("the server closed the connection");
        }
        in.flip();
        boolean complete = parser.feed(in);
        in.compact();
        if (!complete) {
          if (in.remaining() == 0) {
            ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
            in.flip();
            bigger.put(in);
            in = bigger;
          }
          return true;
        }
        long now = System.nanoTime();
        int status = parser.status();
        byte[] body = parser.body();
        boolean closeAfter = parser.connectionClose();
        parser.reset();
        if (sentAt >= measureFrom && now <= measureTo) {
          latency.recordValue(Math.max(1, (now - sentAt) / 1_000));
          kinds.merge(classifier.kind(status, body), 1L, Long::sum);
          lastAnswer = now;
        }
        session.answered(status, body);
        if (closeAfter) {
          throw new IOException("the server asked to close the connection (status " + status + ")");
        }
        return send();
      }

      void close() {
        try {
          if (key != null) {
            key.cancel();
          }
          if (channel != null) {
            channel.close();
          }
        } catch (IOException e) {
          // closing at the end of a run: nothing to do
        }
      }
    }
  }
}
