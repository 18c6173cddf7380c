package io.devicelogin.bench.cli;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the start-up benchmark finds what it runs: the checkout with the {@code ./devicelogin}
 * launcher and the jars built in it, and the {@code java} that the launcher runs.
 */
final class Checkout {
  final Path root;
  final Path launcher;
  final Path jar;
  final Path archive;
  final Path serverJar;

  private Checkout(Path root) {
    this.root = root;
    this.launcher = root.resolve("devicelogin");
    this.jar = root.resolve("cli/target/devicelogin.jar");
    this.archive = root.resolve("cli/target/devicelogin.jsa");
    this.serverJar = root.resolve("server/target/devicelogin-server.jar");
  }

  /** The checkout, with the server jar the command logs in to already built. */
  static Checkout built() {
    Checkout checkout = new Checkout(repositoryRoot());
    require(checkout.serverJar, "build it first: mvn -B -q -DskipTests package -pl bench -am");
    return checkout;
  }

  /**
   * The checkout: {@code -Ddevicelogin.root}, else the nearest directory upwards with the launcher
   * and cli/.
   */
  static Path repositoryRoot() {
    String configured = System.getProperty("devicelogin.root");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("devicelogin"))
          && Files.isRegularFile(p.resolve("cli/pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "run from the checkout (or give -Ddevicelogin.root=DIR): no ./devicelogin found"
            + " above "
            + Path.of("").toAbsolutePath());
  }

  /** The {@code java} that a shell finds on {@code PATH}: the one the launcher runs. */
  static String javaOnPath() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "java");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath().toString();
      }
    }
    throw new IllegalStateException("no java on PATH: the launcher needs one");
  }

  /** The class-path entry (folder or jar) that {@code type} was loaded from. */
  static String classpathOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void require(Path file, String hint) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(file + " is missing: " + hint);
    }
  }
}
