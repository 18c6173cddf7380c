package io.devicelogin.bench.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * node-oidc-provider (the npm package {@code oidc-provider}) with the device flow on and one public
 * client, run by {@code node} on our own {@code server.mjs}, with an in-memory store that has no
 * cap (the library's development store keeps about 1,000 entries and would evict pending codes).
 */
public final class NodeOidcProviderTarget extends ProcessTarget {
  /** The newest 9.x on npm when this was written; package.json pins it exactly. */
  public static final String VERSION = "9.13.3";

  private static final String SCRIPT = "server.mjs";
  private static final ObjectMapper JSON = new ObjectMapper();

  private NodeOidcProviderTarget(Started started) {
    super("node-oidc-provider " + VERSION, started);
  }

  /**
   * Installs the pinned package into {@code workDir} unless it is there already (npm, from the
   * registry), then starts the server on a free loopback port and waits for its discovery document.
   * The install is not part of {@link #startup()}. The pid is the node process itself: the script
   * runs in it, nothing is forked.
   */
  public static NodeOidcProviderTarget start(Path workDir) {
    String what = "node-oidc-provider " + VERSION;
    try {
      Files.createDirectories(workDir);
      install(workDir, what);
      PeerProcess.copyResource("/peers/node-oidc-provider/" + SCRIPT, workDir.resolve(SCRIPT));
    } catch (IOException e) {
      throw new UncheckedIOException(what + ": cannot prepare " + workDir, e);
    }

    int port = PeerProcess.freePort();
    ProcessBuilder builder = new ProcessBuilder("node", SCRIPT, Integer.toString(port));
    builder.directory(workDir.toFile());
    Map<String, String> env = builder.environment();
    // NODE_ENV=production, as a deployment sets it. In 9.13.3 neither oidc-provider nor Koa changes
    // its work on it (Koa only records it as app.env), but any dependency that does is in its
    // production mode then, not its development one.
    env.put("NODE_ENV", "production");
    // The debug package's logging (oidc-provider:*), which a DEBUG in our environment would turn
    // on.
    env.remove("DEBUG");
    env.remove("NODE_OPTIONS");
    return new NodeOidcProviderTarget(
        PeerProcess.startAndDiscover(
            builder,
            workDir.resolve("server.log"),
            URI.create("http://127.0.0.1:" + port + "/.well-known/openid-configuration"),
            PeerProcess.READY_TIMEOUT,
            Duration.ofSeconds(10),
            what,
            "node (is Node.js on the PATH?)"));
  }

  /**
   * Writes package.json and runs {@code npm install} when node_modules lacks the pinned version.
   */
  private static void install(Path workDir, String what) throws IOException {
    ObjectNode packageJson = JSON.createObjectNode();
    packageJson.put("name", "devicelogin-bench-node-oidc-provider");
    packageJson.put("private", true);
    packageJson.put("type", "module");
    packageJson.putObject("dependencies").put("oidc-provider", VERSION);
    String wanted = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(packageJson) + "\n";
    Path packageFile = workDir.resolve("package.json");
    if (!Files.exists(packageFile)
        || !Files.readString(packageFile, StandardCharsets.UTF_8).equals(wanted)) {
      Files.writeString(packageFile, wanted, StandardCharsets.UTF_8);
    }

    if (VERSION.equals(installedVersion(workDir))) {
      return;
    }
    ProcessBuilder npm =
        new ProcessBuilder(List.of("npm", "install", "--no-audit", "--no-fund", "--omit=dev"));
    npm.directory(workDir.toFile());
    PeerProcess.run(
        npm, workDir.resolve("npm-install.log"), Duration.ofMinutes(5), what + ": npm install");
    String installed = installedVersion(workDir);
    if (!VERSION.equals(installed)) {
      throw PeerProcess.failed(
          what,
          "npm install left oidc-provider " + installed + " in " + workDir.resolve("node_modules"),
          workDir.resolve("npm-install.log"));
    }
  }

  /** The version of oidc-provider in node_modules, or null. */
  private static String installedVersion(Path workDir) throws IOException {
    Path installed = workDir.resolve("node_modules/oidc-provider/package.json");
    if (!Files.isRegularFile(installed)) {
      return null;
    }
    JsonNode version = JSON.readTree(installed.toFile()).get("version");
    return version == null ? null : version.asText();
  }
}
