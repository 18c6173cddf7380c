package io.devicelogin.cli.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.cli.agent.Agent;
import io.devicelogin.cli.agent.AgentClient;
import io.devicelogin.cli.agent.AgentPaths;
import io.devicelogin.cli.agent.AgentProtocol;
import io.devicelogin.cli.agent.PrivateDirectory;
import io.devicelogin.cli.profile.ProfileNames;
import io.devicelogin.client.TokenSet;
import io.devicelogin.client.text.DurationText;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tokens held by the in-memory {@link Agent}, started in the background on the first {@link #save}
 * and reached over its Unix domain socket ({@link AgentPaths#socket}). Reading or deleting never
 * starts an agent: without one, nothing is held.
 *
 * <p>Starting is race-safe: two commands that find no agent both start one, one of the two keeps
 * the socket and the other exits, and both commands then talk to the survivor.
 *
 * <p>Environment: {@value AgentPaths#SOCKET_ENV} sets the socket's path, {@value #IDLE_ENV} the
 * idle timeout of an agent started from here (default 8 h; {@code 30m}, {@code 1d}, …: any form of
 * {@link DurationText}, as in the server's configuration file and {@code login --timeout}).
 */
public final class MemoryAgentStore implements TokenStore {
  /** The idle timeout for an agent this store starts. */
  public static final String IDLE_ENV = "DEVICELOGIN_AGENT_IDLE";

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Path socket;
  private final Duration idle;
  private final List<Process> started = new ArrayList<>();

  MemoryAgentStore(Path socket, Duration idle) {
    this.socket = socket;
    this.idle = idle;
  }

  /**
   * The store for the user's agent, with the socket and idle timeout that {@code env} gives. Checks
   * (and creates if needed) the socket's private directory.
   *
   * @throws StoreUnavailableException if that directory is not private to the user or cannot be
   *     made, or the socket's path is too long
   * @throws IllegalArgumentException if {@value #IDLE_ENV} is not a duration
   */
  public static MemoryAgentStore fromEnvironment(Map<String, String> env) {
    Path socket = AgentPaths.socket(env);
    String idleText = env.get(IDLE_ENV);
    Duration idle =
        idleText == null || idleText.isBlank()
            ? Agent.DEFAULT_IDLE
            : DurationText.parsePositive(IDLE_ENV, idleText);
    // sockaddr_un holds 108 bytes on Linux, 104 on macOS, with the terminating NUL.
    if (socket.toString().getBytes(StandardCharsets.UTF_8).length > 100) {
      throw new StoreUnavailableException(
          "the agent's socket path "
              + socket
              + " is too long for a Unix domain"
              + " socket (at most 100 bytes): set "
              + AgentPaths.SOCKET_ENV
              + " to a shorter path");
    }
    MemoryAgentStore store = new MemoryAgentStore(socket, idle);
    store.checkDirectory();
    return store;
  }

  @Override
  public String kind() {
    return "memory";
  }

  @Override
  public String location() {
    return "in-memory agent (socket " + socket + ")";
  }

  /** How long an agent started from here waits for a request before it exits. */
  public Duration idle() {
    return idle;
  }

  /** The agent's socket. */
  public Path socket() {
    return socket;
  }

  /** Whether an agent answers on the socket. */
  public boolean isRunning() {
    return agentPid().isPresent();
  }

  /** The process id of the agent that answers, if one does. */
  public Optional<Long> agentPid() {
    checkDirectory();
    try {
      return Optional.of(client().ping());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreUnavailableException if the agent cannot be reached
   */
  @Override
  public Optional<TokenSet> load(String profile) {
    ProfileNames.check(profile);
    ObjectNode request = AgentProtocol.request("get").put("profile", profile);
    Optional<ObjectNode> response = sendIfRunning(request);
    if (response.isEmpty()) {
      return Optional.empty();
    }
    JsonNode tokens = response.get().get("tokens");
    if (tokens == null || tokens.isNull()) {
      return Optional.empty();
    }
    try {
      return Optional.of(TokenSetCodec.fromJson(tokens));
    } catch (UnreadableTokensException e) {
      throw new UnreadableTokensException(
          "the tokens of profile "
              + profile
              + " in the agent cannot be read ("
              + e.getMessage()
              + "): `devicelogin logout --profile "
              + profile
              + "` removes them");
    }
  }

  /**
   * {@inheritDoc} Starts the agent if none runs.
   *
   * @throws StoreUnavailableException if no agent can be started or reached
   */
  @Override
  public void save(String profile, TokenSet tokens) {
    ProfileNames.check(profile);
    ObjectNode request = AgentProtocol.request("put").put("profile", profile);
    request.set("tokens", TokenSetCodec.toJson(tokens));
    try {
      for (int attempt = 1; ; attempt++) {
        Optional<ObjectNode> response = sendIfRunning(request);
        if (response.isPresent()) {
          return;
        }
        if (attempt == 3) {
          throw new StoreUnavailableException(
              "the in-memory agent on " + socket + " kept going away");
        }
        startAgent();
      }
    } finally {
      request.removeAll();
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreUnavailableException if the agent cannot be reached
   */
  @Override
  public void delete(String profile) {
    ProfileNames.check(profile);
    sendIfRunning(AgentProtocol.request("delete").put("profile", profile));
  }

  /**
   * Stops the agent, and with it every profile's tokens ({@code logout --all}).
   *
   * @return whether an agent was running
   */
  public boolean shutdownAgent() {
    checkDirectory();
    try {
      ObjectNode response = client().send(AgentProtocol.request("shutdown"));
      return response.path("ok").asBoolean(false);
    } catch (AgentClient.NoAgent e) {
      return false;
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "cannot reach the in-memory agent on " + socket + ": " + e.getMessage(), e);
    }
  }

  /**
   * The response to a request, or empty when no agent runs (or one was shutting down as it came).
   *
   * @throws StoreUnavailableException when the agent refuses or cannot be talked to
   */
  private Optional<ObjectNode> sendIfRunning(ObjectNode request) {
    checkDirectory();
    ObjectNode response;
    try {
      response = client().send(request);
    } catch (AgentClient.NoAgent e) {
      return Optional.empty();
    } catch (EOFException e) {
      return Optional.empty(); // Closed on us: an agent at the end of its life.
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "cannot reach the in-memory agent on " + socket + ": " + e.getMessage(), e);
    }
    if (response.path("ok").asBoolean(false)) {
      return Optional.of(response);
    }
    String error = response.path("error").asText("no reason given");
    if (error.contains("shutting down")) {
      return Optional.empty();
    }
    throw new StoreUnavailableException("the in-memory agent refused: " + error);
  }

  /** Starts an agent in the background and waits until one (it, or a rival) answers. */
  private void startAgent() {
    Process process;
    try {
      process = launcher().start();
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot start the in-memory agent: " + e.getMessage(), e);
    }
    synchronized (started) {
      started.add(process);
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    long pause = 20;
    while (true) {
      try {
        client().ping();
        return;
      } catch (IOException notYet) {
        // Still starting.
      }
      if (!process.isAlive() && process.exitValue() != Agent.EXIT_OK) {
        throw new StoreUnavailableException(
            "the in-memory agent could not start (exit code "
                + process.exitValue()
                + reasonFor(process.exitValue())
                + ")");
      }
      if (System.nanoTime() > deadline) {
        throw new StoreUnavailableException(
            "the in-memory agent did not answer on "
                + socket
                + " within "
                + START_TIMEOUT.toSeconds()
                + " s of starting");
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException("interrupted while starting the in-memory agent");
      }
      pause = Math.min(pause * 2, 250);
    }
  }

  private String reasonFor(int exitCode) {
    return switch (exitCode) {
      case Agent.EXIT_UNSAFE_DIRECTORY -> ": " + socket.getParent() + " is not private to you";
      case Agent.EXIT_CANNOT_SERVE -> ": it cannot listen on " + socket;
      default -> "";
    };
  }

  /**
   * The agent's command: this JVM's {@code java} and class path, a small heap, no attach, no perf
   * data file, no core dump; in a session of its own ({@code setsid}) where that exists, so that
   * the terminal's signals and job control do not reach it. It inherits no environment variable
   * (the CLI's environment may hold secrets of its own) and has no standard streams: it survives
   * the command that started it.
   */
  public ProcessBuilder launcher() {
    List<String> command = new ArrayList<>();
    Path setsid = Path.of("/usr/bin/setsid");
    if (Files.isExecutable(setsid)) {
      command.add(setsid.toString());
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx64m",
            "-XX:+UseSerialGC",
            "-XX:-UsePerfData",
            "-XX:+DisableAttachMechanism",
            "-XX:-CreateCoredumpOnCrash",
            "-cp",
            absoluteClassPath(),
            Agent.class.getName(),
            "--socket",
            socket.toString(),
            "--idle",
            DurationText.format(idle)));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.directory(socket.getParent().toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    return builder;
  }

  /**
   * The agents this store started (some may have exited at once, having lost the race); for tests.
   */
  public List<Process> startedProcesses() {
    synchronized (started) {
      return List.copyOf(started);
    }
  }

  private static File nullDevice() {
    return new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
  }

  /** The class path with every entry absolute: the agent runs in another directory. */
  private static String absoluteClassPath() {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.add(Path.of(entry).toAbsolutePath().toString());
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private AgentClient client() {
    return new AgentClient(socket, REQUEST_TIMEOUT);
  }

  private void checkDirectory() {
    try {
      PrivateDirectory.ensure(socket.getParent());
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "the in-memory agent cannot be used: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "MemoryAgentStore[" + socket + "]";
  }
}
