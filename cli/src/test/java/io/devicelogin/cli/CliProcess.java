package io.devicelogin.cli;

import io.devicelogin.cli.startup.CommandLogging;
import io.devicelogin.cli.store.TokenStores;
import io.devicelogin.server.testing.Directories;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The real {@code devicelogin} command as a child process (the same classes as the shaded jar),
 * with a home, configuration and runtime directory of its own, so that the test can read every file
 * it writes. {@link #close()} stops its in-memory agent and deletes that home: a test closes it
 * when it is done (in {@code @AfterEach}), so that nothing is left in the temporary directory.
 */
public final class CliProcess implements AutoCloseable {
  public final Path home;
  public final Map<String, String> env = new HashMap<>();
  private boolean installedLogging;

  public CliProcess() {
    try {
      home = Files.createTempDirectory("devicelogin-cli-home");
      Path runtime =
          Files.createDirectory(
              home.resolve("run"),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      env.put("HOME", home.toString());
      env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
      env.put("XDG_RUNTIME_DIR", runtime.toString());
      env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
      env.put("LANG", "C.UTF-8");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs the command with the logging it has when installed ({@link CommandLogging}, at the level
   * {@code DEVICELOGIN_LOG_LEVEL} in {@link #env} names) instead of the tests' configuration file:
   * no {@code -Dlogback.configurationFile}, and no class path entry that holds a {@code
   * logback-test.xml} (the test classes, the test jars), which Logback would read instead.
   */
  public CliProcess withInstalledLogging() {
    installedLogging = true;
    return this;
  }

  /** A finished run. */
  public record Result(int exit, String out, String err) {
    public String both() {
      return out + "\n" + err;
    }
  }

  /** A run in progress, whose standard output can be read line by line. */
  public static final class Running implements AutoCloseable {
    public final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();
    private final Thread outReader;
    private final Thread errReader;

    public Running(Process process) {
      this.process = process;
      this.outReader = pump(process.getInputStream(), out, lines);
      this.errReader = pump(process.getErrorStream(), err, null);
    }

    /** The next line of standard output, waiting at most {@code max}. */
    public String nextLine(Duration max) throws InterruptedException {
      String line = lines.poll(max.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null) {
        throw new AssertionError("no output within " + max + "; stderr so far: " + err());
      }
      return line;
    }

    /**
     * Waits until standard error so far satisfies {@code condition}, at most {@code max}; returns
     * it then. Fails when the time is up or the command ends first without satisfying it.
     */
    public String awaitErr(Predicate<String> condition, Duration max) throws InterruptedException {
      long deadline = System.nanoTime() + max.toNanos();
      synchronized (this) {
        while (!condition.test(err.toString())) {
          long left = deadline - System.nanoTime();
          if (left <= 0 || !errReader.isAlive()) {
            throw new AssertionError(
                (left <= 0 ? "not within " + max : "the command ended first")
                    + "; standard error so far:\n"
                    + err);
          }
          // Woken by every line the reader appends, and by its end.
          wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        return err.toString();
      }
    }

    public Result finish(Duration max) throws InterruptedException {
      if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the command did not finish within " + max + "; stderr: " + err());
      }
      outReader.join(5000);
      errReader.join(5000);
      return new Result(process.exitValue(), out(), err());
    }

    public synchronized String out() {
      return out.toString();
    }

    public synchronized String err() {
      return err.toString();
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }

    private Thread pump(InputStream in, StringBuilder into, BlockingQueue<String> queue) {
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = reader.readLine()) != null) {
                    synchronized (Running.this) {
                      into.append(line).append('\n');
                      Running.this.notifyAll();
                    }
                    if (queue != null) {
                      queue.add(line);
                    }
                  }
                } catch (IOException ignored) {
                  // The process ended.
                }
                synchronized (Running.this) {
                  Running.this.notifyAll();
                }
              },
              "cli-output");
      t.setDaemon(true);
      t.start();
      return t;
    }
  }

  public Running start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    if (!installedLogging) {
      // Logs on standard error only: standard output is the command's JSON lines or token.
      command.add("-Dlogback.configurationFile=cli-process-logback.xml");
    }
    command.add("-cp");
    command.add(
        installedLogging
            ? withoutTestLogging(System.getProperty("java.class.path"))
            : System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    return start(command);
  }

  /**
   * The system property with the path of the shaded {@code devicelogin.jar}, for {@link
   * #startShipped}.
   */
  public static final String JAR_PROPERTY = "devicelogin.cli.jar";

  /**
   * The command as shipped, {@code java -jar devicelogin.jar ARGS}, with its own logging (warnings
   * only): what a person sees on the terminal, which the test classpath's DEBUG logging of {@link
   * #start} would hide among log lines. The jar is named by {@value #JAR_PROPERTY}.
   */
  public Running startShipped(String... args) throws IOException {
    String jar = System.getProperty(JAR_PROPERTY);
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "-D"
              + JAR_PROPERTY
              + " must name cli/target/devicelogin.jar (built by"
              + " the cli module's package phase); it is "
              + jar);
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of("-jar", jar));
    command.addAll(List.of(args));
    return start(command);
  }

  private Running start(List<String> command) throws IOException {
    return start(command, new File("/dev/null"));
  }

  private Running start(List<String> command, File input) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.redirectInput(ProcessBuilder.Redirect.from(input));
    return new Running(builder.start());
  }

  /** Runs the command with {@code input} on its standard input. */
  public Result runWithInput(String input, String... args)
      throws IOException, InterruptedException {
    Path file = Files.createTempFile(home, "stdin", ".txt");
    Files.writeString(file, input);
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Dlogback.configurationFile=cli-process-logback.xml");
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    try (Running running = start(command, file.toFile())) {
      return running.finish(Duration.ofSeconds(60));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** The class path without the entries that hold a {@code logback-test.xml}. */
  private static String withoutTestLogging(String classPath) {
    List<String> kept = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (!holdsTestLogging(Path.of(entry))) {
        kept.add(entry);
      }
    }
    return String.join(File.pathSeparator, kept);
  }

  private static boolean holdsTestLogging(Path entry) {
    if (Files.isDirectory(entry)) {
      return Files.exists(entry.resolve("logback-test.xml"));
    }
    if (!entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
      return false;
    }
    try (JarFile jar = new JarFile(entry.toFile())) {
      return jar.getEntry("logback-test.xml") != null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Result run(String... args) throws IOException, InterruptedException {
    try (Running running = start(args)) {
      return running.finish(Duration.ofSeconds(60));
    }
  }

  /** Stops the in-memory agent the commands may have started, and deletes the home. */
  @Override
  public void close() {
    try {
      TokenStores.stopAgent(env);
    } catch (RuntimeException noAgentToStop) {
      // Nothing was started, or the home is already gone.
    }
    Directories.deleteQuietly(home);
  }

  /** The text of every file the command wrote under its home. */
  public List<String> filesWritten() throws IOException {
    List<String> contents = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(home)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        if (Files.isRegularFile(p)) {
          contents.add(p + ":\n" + new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
        }
      }
    }
    return contents;
  }
}
