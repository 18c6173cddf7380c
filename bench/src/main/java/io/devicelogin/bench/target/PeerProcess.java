package io.devicelogin.bench.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the peers' targets share: running a command with its output in a log file, waiting for a
 * discovery document, and stopping a process with everything it started.
 */
public final class PeerProcess {
  /** How long a peer may take from its start to its first successful discovery answer. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int LOG_TAIL_LINES = 40;

  private PeerProcess() {}

  /** A TCP port on the loopback interface that nothing listens on right now. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on the loopback interface", e);
    }
  }

  /** Starts {@code builder} with standard input empty and both outputs going to {@code log}. */
  static Process start(ProcessBuilder builder, Path log) throws IOException {
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    return builder.start();
  }

  /**
   * Runs a command to its end (its output in {@code log}), failing with the log's last lines when
   * it exits non-zero or outlasts {@code timeout}.
   */
  static void run(ProcessBuilder builder, Path log, Duration timeout, String what) {
    Process process;
    try {
      process = start(builder, log);
    } catch (IOException e) {
      throw new IllegalStateException(
          what + ": cannot run " + builder.command() + ": " + e.getMessage(), e);
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        stop(process, Duration.ofSeconds(5));
        throw failed(what, builder.command() + " did not finish within " + timeout, log);
      }
    } catch (InterruptedException e) {
      stop(process, Duration.ofSeconds(5));
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + ": interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw failed(what, builder.command() + " exited with " + process.exitValue(), log);
    }
  }

  /**
   * Starts a peer and waits until its discovery document answers, timing from just before the
   * start; stops it again when it does not answer, or its document lacks an endpoint.
   *
   * @param program what to name in the message when the start fails, such as the command
   */
  static ProcessTarget.Started startAndDiscover(
      ProcessBuilder builder,
      Path log,
      URI discovery,
      Duration timeout,
      Duration stopGrace,
      String what,
      String program) {
    long started = System.nanoTime();
    Process process;
    try {
      process = start(builder, log);
    } catch (IOException e) {
      throw new IllegalStateException(
          what + ": cannot start " + program + ": " + e.getMessage(), e);
    }
    try {
      JsonNode document =
          awaitDiscovery(httpClient(), process, discovery, started, timeout, log, what);
      Duration startup = Duration.ofNanos(System.nanoTime() - started);
      return new ProcessTarget.Started(
          process,
          stopGrace,
          endpoint(document, "device_authorization_endpoint", what),
          endpoint(document, "token_endpoint", what),
          startup);
    } catch (RuntimeException e) {
      stop(process, stopGrace);
      throw e;
    }
  }

  /**
   * Asks for {@code discovery} until it answers 200, and returns that answer's JSON. Fails when the
   * process ends first or {@code timeout} passes since {@code startNanos}.
   */
  static JsonNode awaitDiscovery(
      HttpClient http,
      Process process,
      URI discovery,
      long startNanos,
      Duration timeout,
      Path log,
      String what) {
    HttpRequest request =
        HttpRequest.newBuilder(discovery)
            .timeout(Duration.ofSeconds(5))
            .header("Accept", "application/json")
            .GET()
            .build();
    long deadline = startNanos + timeout.toNanos();
    String lastProblem = "no answer yet";
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            what
                + " exited with "
                + process.exitValue()
                + " before its discovery document "
                + discovery
                + " answered"
                + failureLog(log));
      }
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return JSON.readTree(response.body());
        }
        lastProblem = "status " + response.statusCode();
      } catch (IOException e) {
        lastProblem = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(what + ": interrupted while waiting for " + discovery, e);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(what + ": interrupted while waiting for " + discovery, e);
      }
    }
    throw new IllegalStateException(
        what
            + " was not ready within "
            + timeout
            + ": "
            + discovery
            + " last gave "
            + lastProblem
            + failureLog(log));
  }

  /** A URL member of a discovery document, which must be there. */
  static URI endpoint(JsonNode discovery, String member, String what) {
    JsonNode value = discovery.get(member);
    if (value == null || !value.isTextual()) {
      throw new IllegalStateException(
          what + "'s discovery document has no " + member + ": " + discovery);
    }
    return URI.create(value.asText());
  }

  /**
   * Stops {@code process} and every process it started: a polite signal to all of them first, then,
   * after {@code grace}, a forcible one to whatever is left.
   */
  public static void stop(Process process, Duration grace) {
    // Collected before anything ends: a child whose parent has gone is no longer its descendant.
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    process.descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroy);
    if (!awaitEnd(tree, grace)) {
      tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
      awaitEnd(tree, Duration.ofSeconds(10));
    }
  }

  private static boolean awaitEnd(List<ProcessHandle> tree, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    for (ProcessHandle handle : tree) {
      long left = deadline - System.nanoTime();
      try {
        handle.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        return false;
      } catch (java.util.concurrent.ExecutionException e) {
        // onExit does not fail; treat it as ended.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Deletes {@code path} and everything under it, if it is there. */
  public static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** A failure of {@code what}, with the last lines of its log. */
  static IllegalStateException failed(String what, String problem, Path log) {
    return new IllegalStateException(what + ": " + problem + failureLog(log));
  }

  /** The last lines of a log, set off for an exception's message. */
  static String failureLog(Path log) {
    return "\n--- last lines of " + log + " ---\n" + tail(log, LOG_TAIL_LINES);
  }

  public static String tail(Path log, int lines) {
    try {
      // Latin-1 reads any bytes: a peer's log is not always valid UTF-8.
      List<String> all = List.of(Files.readString(log, StandardCharsets.ISO_8859_1).split("\\R"));
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read the log: " + e + ")";
    }
  }

  /** Copies a resource of this module to a file, replacing what was there. */
  static void copyResource(String resource, Path to) throws IOException {
    try (InputStream in = PeerProcess.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("resource " + resource + " is missing from the classpath");
      }
      Files.createDirectories(to.toAbsolutePath().getParent());
      Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** A client for the targets' own requests: HTTP/1.1 only, never an upgrade to h2c. */
  static HttpClient httpClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
  }
}
