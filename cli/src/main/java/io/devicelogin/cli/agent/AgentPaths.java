package io.devicelogin.cli.agent;

import java.nio.file.Path;
import java.util.Map;

/** Where the agent's socket is, from the environment. */
public final class AgentPaths {
  /**
   * Overrides the socket's path (its directory gets the same checks); for tests and unusual setups.
   */
  public static final String SOCKET_ENV = "DEVICELOGIN_AGENT_SOCKET";

  static final String SOCKET_NAME = "agent.sock";

  private AgentPaths() {}

  /**
   * {@code $DEVICELOGIN_AGENT_SOCKET} if set, else {@code $XDG_RUNTIME_DIR/devicelogin/agent.sock}
   * (a per-user directory that the login session provides and removes at logout), else {@code
   * /tmp/devicelogin-UID/agent.sock}. On Windows, which has no such directories, {@code
   * %LOCALAPPDATA%\devicelogin\agent.sock}.
   */
  public static Path socket(Map<String, String> env) {
    String explicit = env.get(SOCKET_ENV);
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit).toAbsolutePath();
    }
    String runtime = env.get("XDG_RUNTIME_DIR");
    if (runtime != null && !runtime.isBlank() && Path.of(runtime).isAbsolute()) {
      return Path.of(runtime, "devicelogin", SOCKET_NAME);
    }
    if (!PrivateDirectory.posix()) {
      String local = env.getOrDefault("LOCALAPPDATA", System.getProperty("user.home"));
      return Path.of(local, "devicelogin", SOCKET_NAME);
    }
    return Path.of("/tmp", "devicelogin-" + PrivateDirectory.currentUid(), SOCKET_NAME);
  }
}
