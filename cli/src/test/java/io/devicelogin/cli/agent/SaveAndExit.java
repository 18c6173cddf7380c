package io.devicelogin.cli.agent;

import io.devicelogin.cli.store.MemoryAgentStore;
import io.devicelogin.cli.store.TokenSetCodec;
import java.util.Map;

/**
 * A stand-in for a {@code devicelogin login} process: saves the token set it reads on stdin into
 * the memory store (starting the agent) and exits.
 */
public final class SaveAndExit {
  private SaveAndExit() {}

  public static void main(String[] args) throws Exception {
    byte[] json = System.in.readAllBytes();
    MemoryAgentStore.fromEnvironment(Map.of("XDG_RUNTIME_DIR", args[0]))
        .save(args[1], TokenSetCodec.decode(json));
    System.exit(0);
  }
}
