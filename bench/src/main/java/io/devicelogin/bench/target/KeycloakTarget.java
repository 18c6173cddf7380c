package io.devicelogin.bench.target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Keycloak, the Quarkus distribution from Maven Central, started with {@code kc.sh start-dev} on a
 * realm of our own ({@code bench}, one public client with the device grant). Its memory settings
 * are the ones kc.sh ships with.
 */
public final class KeycloakTarget extends ProcessTarget {
  public static final String VERSION = "26.7.3";

  static final String REALM = "bench";

  /** Keycloak needs Java 21 or later; the machine's default is 17. */
  static final Path JAVA_HOME = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

  private static final String ARTIFACT = "org.keycloak:keycloak-quarkus-dist:" + VERSION + ":zip";
  private static final String DEPENDENCY_PLUGIN =
      "org.apache.maven.plugins:maven-dependency-plugin:3.11.0";
  private static final String REALM_FILE = "bench-realm.json";

  /** In the distribution's folder once its first start-dev, which rebuilds it, has succeeded. */
  private static final String DEV_BUILD_DONE = ".bench-dev-build-done";

  private static final Duration FIRST_START_TIMEOUT = Duration.ofMinutes(10);

  /** SIGTERM to kc.sh and its java (kc.sh forwards it too), a forcible end after 30 s. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final long servingPid;

  private KeycloakTarget(Started started, long servingPid) {
    super("Keycloak " + VERSION, started);
    this.servingPid = servingPid;
  }

  /**
   * Fetches and unpacks the distribution into {@code workDir} unless it is there already (Maven,
   * from Central), then starts it on a free loopback port with a fresh development database that
   * imports our realm, and waits for the realm's discovery document.
   *
   * <p>The distribution is built for {@code start}; the first {@code start-dev} rebuilds it
   * (Quarkus augmentation, half a minute to minutes) and keeps that build for the next ones. That
   * first start is made here once, untimed, right after unpacking, so that {@link #startup()} is
   * always a start without a rebuild. Fetching, unpacking and that first start are not part of it.
   */
  public static KeycloakTarget start(Path workDir) {
    String what = "Keycloak " + VERSION;
    Path home;
    try {
      Files.createDirectories(workDir);
      home = unpacked(workDir.toAbsolutePath(), what);
      Path built = home.resolve(DEV_BUILD_DONE);
      if (!Files.exists(built)) {
        freshData(home);
        launch(
                home,
                workDir.resolve("keycloak-first-start.log"),
                FIRST_START_TIMEOUT,
                what + " (first start-dev, rebuilding)")
            .close();
        Files.writeString(built, "kc.sh start-dev has rebuilt this distribution for development\n");
      }
      freshData(home);
    } catch (IOException e) {
      throw new UncheckedIOException(what + ": cannot prepare " + workDir, e);
    }
    return launch(home, workDir.resolve("keycloak.log"), PeerProcess.READY_TIMEOUT, what);
  }

  private static KeycloakTarget launch(Path home, Path log, Duration timeout, String what) {
    int port = PeerProcess.freePort();
    ProcessBuilder builder =
        new ProcessBuilder(
            home.resolve("bin/kc.sh").toString(),
            "start-dev",
            "--http-host=127.0.0.1",
            "--http-port=" + port,
            "--import-realm");
    builder.directory(home.toFile());
    Map<String, String> env = builder.environment();
    // kc.sh as shipped: none of the variables through which it takes other JVM options or heap
    // sizes, and no Keycloak option from our environment.
    env.keySet().removeIf(name -> name.startsWith("JAVA_OPTS") || name.startsWith("KC_"));
    List.of(
            "JAVA",
            "JAVA_ADD_OPENS",
            "JAVA_LOCALE",
            "JAVA_TOOL_OPTIONS",
            "JDK_JAVA_OPTIONS",
            "DEBUG",
            "DEBUG_PORT",
            "DEBUG_SUSPEND")
        .forEach(env::remove);
    env.put("JAVA_HOME", JAVA_HOME.toString());

    URI discovery =
        URI.create(
            "http://127.0.0.1:" + port + "/realms/" + REALM + "/.well-known/openid-configuration");
    Started started =
        PeerProcess.startAndDiscover(
            builder, log, discovery, timeout, STOP_GRACE, what, builder.command().toString());
    try {
      return new KeycloakTarget(started, servingJava(started.process(), what, log));
    } catch (RuntimeException e) {
      started.stop();
      throw e;
    }
  }

  /**
   * The java process that serves. kc.sh starts java as its child and waits for it, except when that
   * java asks for a relaunch (exit code 10, after rebuilding), which kc.sh then execs in its own
   * place.
   */
  private static long servingJava(Process process, String what, Path log) {
    List<ProcessHandle> javas =
        Stream.concat(Stream.of(process.toHandle()), process.descendants())
            .filter(ProcessHandle::isAlive)
            .filter(handle -> handle.info().command().map(c -> c.endsWith("/java")).orElse(false))
            .toList();
    if (javas.size() != 1) {
      throw PeerProcess.failed(
          what,
          "expected one java process under kc.sh (pid " + process.pid() + "), found " + javas,
          log);
    }
    return javas.get(0).pid();
  }

  /** The distribution's folder, fetched and unpacked first if it is not complete in workDir. */
  private static Path unpacked(Path workDir, String what) throws IOException {
    Path home = workDir.resolve("keycloak-" + VERSION);
    if (Files.isRegularFile(home.resolve("bin/kc.sh"))
        && Files.isRegularFile(home.resolve("lib/quarkus-run.jar"))) {
      return home;
    }
    Path zip = workDir.resolve("keycloak-quarkus-dist-" + VERSION + ".zip");
    if (!Files.isRegularFile(zip)) {
      // Into a side folder too, then moved: a zip at its final name is always a whole one.
      Path downloading = workDir.resolve("downloading");
      PeerProcess.deleteTree(downloading);
      Files.createDirectories(downloading);
      // Run where there is no pom: the copy goal needs no project.
      ProcessBuilder mvn =
          new ProcessBuilder(
              "mvn",
              "-B",
              "-q",
              "-Dstyle.color=never",
              DEPENDENCY_PLUGIN + ":copy",
              "-Dartifact=" + ARTIFACT,
              "-DoutputDirectory=" + downloading);
      mvn.directory(downloading.toFile());
      Path log = workDir.resolve("download.log");
      PeerProcess.run(
          mvn, log, Duration.ofMinutes(15), what + ": fetching " + ARTIFACT + " with Maven");
      Path downloaded = downloading.resolve(zip.getFileName());
      if (!Files.isRegularFile(downloaded)) {
        throw PeerProcess.failed(what, "Maven finished but " + downloaded + " is not there", log);
      }
      Files.move(downloaded, zip, StandardCopyOption.ATOMIC_MOVE);
      PeerProcess.deleteTree(downloading);
    }
    // Into a side folder first, so that an interrupted unpack is never taken for a complete one.
    Path partial = workDir.resolve("unpacking");
    PeerProcess.deleteTree(partial);
    unzip(zip, partial);
    Path unpackedHome = partial.resolve(home.getFileName());
    if (!Files.isRegularFile(unpackedHome.resolve("bin/kc.sh"))) {
      throw new IllegalStateException(
          what + ": " + zip + " has no " + home.getFileName() + "/bin/kc.sh");
    }
    PeerProcess.deleteTree(home);
    Files.move(unpackedHome, home, StandardCopyOption.ATOMIC_MOVE);
    PeerProcess.deleteTree(partial);
    return home;
  }

  private static void unzip(Path zip, Path into) throws IOException {
    Files.createDirectories(into);
    Path root = into.toAbsolutePath().normalize();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        Path target = root.resolve(entry.getName()).normalize();
        if (!target.startsWith(root)) {
          throw new IOException("zip entry outside the target folder: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        // java.util.zip does not give the entries' Unix modes: the scripts are what must run.
        String name = entry.getName();
        if (name.contains("/bin/") && name.endsWith(".sh")) {
          Set<PosixFilePermission> mode = Files.getPosixFilePermissions(target);
          mode.addAll(
              Set.of(
                  PosixFilePermission.OWNER_EXECUTE,
                  PosixFilePermission.GROUP_EXECUTE,
                  PosixFilePermission.OTHERS_EXECUTE));
          Files.setPosixFilePermissions(target, mode);
        }
      }
    }
  }

  /**
   * A development database of nothing but our realm: data/ emptied and the realm file put in
   * data/import. Keycloak imports a realm only when none of that name exists, so an old database
   * would keep an old realm, and every start would not do the same work.
   */
  private static void freshData(Path home) throws IOException {
    Path data = home.resolve("data");
    PeerProcess.deleteTree(data);
    PeerProcess.copyResource(
        "/peers/keycloak/" + REALM_FILE, data.resolve("import").resolve(REALM_FILE));
  }

  /** The java process that serves (kc.sh's child, or kc.sh's own pid after a relaunch). */
  @Override
  public long pid() {
    return servingPid;
  }
}
