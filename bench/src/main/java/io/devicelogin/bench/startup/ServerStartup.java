package io.devicelogin.bench.startup;

import io.devicelogin.bench.Section;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How long the server takes from process start to its first {@code 200} on {@code GET /healthz},
 * started as people start it: {@code java -jar devicelogin-server.jar --port 0 --data-dir DIR} on
 * H2. Two cases per repetition, one after the other: a fresh data directory (the database is
 * created and every migration runs) and the same directory again (a restart: the schema is up to
 * date).
 *
 * <p>The clock starts just before the process is spawned. With {@code --port 0} the port is known
 * only from the line the server prints; from then on {@code /healthz} is asked every few
 * milliseconds until it answers 200, so a server that printed the line before it can serve is not
 * counted as ready early.
 *
 * <p>The jar is {@code -Ddevicelogin.server.jar}, else {@code server/target/devicelogin-server.jar}
 * under the working directory or its parent.
 */
public final class ServerStartup {
  private static final Pattern LISTENING = Pattern.compile("listening on https?://[^:/]+:(\\d+)");
  private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(60);

  private ServerStartup() {}

  /**
   * The median time to ready of the last {@link #run(int)}, fresh and existing data directory, for
   * the targets.
   */
  public static volatile long lastFreshMedianNanos = -1;

  public static volatile long lastExistingMedianNanos = -1;

  /**
   * One start: how long to the first 200, how long to the line that names the port, and the CPU
   * time the server had used by then (all its threads; less sensitive than the wall clock to what
   * else the machine runs, so it shows whether a change did less work or only overlapped it).
   */
  record Sample(long readyNanos, long announcedNanos, long cpuNanos) {}

  /**
   * Starts the server {@code repetitions} times on a fresh data directory and as many times on an
   * existing one, after one unmeasured start that brings the jar and the JDK into the page cache.
   */
  public static Section run(int repetitions) {
    return run(repetitions, List.of(defaultJar()), List.of());
  }

  /**
   * Compares jars (or JVM options) under the same conditions: each repetition starts every jar in
   * turn, so that a load from elsewhere on the machine falls on all of them alike.
   */
  static Section run(int repetitions, List<Path> jars, List<String> jvmOptions) {
    for (Path jar : jars) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(
            "no server jar at " + jar + " (mvn -pl server -am package)");
      }
    }
    List<List<Sample>> fresh = new ArrayList<>();
    List<List<Sample>> existing = new ArrayList<>();
    for (int j = 0; j < jars.size(); j++) {
      fresh.add(new ArrayList<>());
      existing.add(new ArrayList<>());
    }
    for (Path jar : jars) {
      withDataDir(dir -> startAndStop(jar, jvmOptions, dir));
    }
    for (int r = 0; r < repetitions; r++) {
      for (int j = 0; j < jars.size(); j++) {
        Path jar = jars.get(j);
        int index = j;
        withDataDir(
            dir -> {
              fresh.get(index).add(startAndStop(jar, jvmOptions, dir));
              existing.get(index).add(startAndStop(jar, jvmOptions, dir));
            });
      }
    }
    StringBuilder md = new StringBuilder();
    md.append("`java ")
        .append(jvmOptions.isEmpty() ? "" : String.join(" ", jvmOptions) + " ")
        .append(
            "-jar devicelogin-server.jar --port 0 --data-dir DIR` (H2), from just before the process is")
        .append(" spawned to the first 200 from `GET /healthz`; ")
        .append(repetitions)
        .append(" repetitions of each case, after one unmeasured start; ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" processors, load average ")
        .append(String.format(Locale.ROOT, "%.2f", loadAverage()))
        .append(" at the end.\n\n");
    md.append(
        "| jar | data directory | median | p90 | min | max | port printed (median) | CPU used (median) |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (int j = 0; j < jars.size(); j++) {
      String name =
          jars.size() == 1 ? jars.get(j).getFileName().toString() : jars.get(j).toString();
      row(md, name, "fresh (first start, migrations run)", fresh.get(j));
      row(md, name, "existing (restart)", existing.get(j));
    }
    lastFreshMedianNanos =
        percentile(fresh.get(0).stream().mapToLong(Sample::readyNanos).sorted().toArray(), 50);
    lastExistingMedianNanos =
        percentile(existing.get(0).stream().mapToLong(Sample::readyNanos).sorted().toArray(), 50);
    return new Section("Server start-up", md.toString());
  }

  private static void row(StringBuilder md, String jar, String kind, List<Sample> samples) {
    long[] ready = samples.stream().mapToLong(Sample::readyNanos).sorted().toArray();
    long[] announced = samples.stream().mapToLong(Sample::announcedNanos).sorted().toArray();
    long[] cpu = samples.stream().mapToLong(Sample::cpuNanos).sorted().toArray();
    md.append("| ")
        .append(jar)
        .append(" | ")
        .append(kind)
        .append(" | ")
        .append(ms(percentile(ready, 50)))
        .append(" | ")
        .append(ms(percentile(ready, 90)))
        .append(" | ")
        .append(ms(ready[0]))
        .append(" | ")
        .append(ms(ready[ready.length - 1]))
        .append(" | ")
        .append(ms(percentile(announced, 50)))
        .append(" | ")
        .append(cpu[0] < 0 ? "n/a" : ms(percentile(cpu, 50)))
        .append(" |\n");
  }

  /** Nearest-rank percentile of sorted values. */
  static long percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%d ms", Math.round(nanos / 1e6));
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /**
   * Starts the server on {@code dir}, waits for the first 200 from /healthz, stops it, and says how
   * long.
   */
  static Sample startAndStop(Path jar, List<String> jvmOptions, Path dir) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString(), "--port", "0", "--data-dir", dir.toString()));
    Path stderr;
    try {
      stderr = Files.createTempFile("devicelogin-startup-", ".err");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
    builder.environment().remove("JDK_JAVA_OPTIONS");
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    long start = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      CompletableFuture<Integer> port = new CompletableFuture<>();
      long[] announced = new long[1];
      Thread reader =
          new Thread(() -> readPort(process.getInputStream(), port, announced), "server-stdout");
      reader.setDaemon(true);
      reader.start();
      int p;
      try {
        p = port.get(GIVE_UP_NANOS, TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(
            "the server did not say its port within 60 s" + said(stderr), e);
      }
      while (!healthy(p)) {
        if (System.nanoTime() - start > GIVE_UP_NANOS) {
          throw new IllegalStateException(
              "the server did not answer /healthz with 200 within 60 s" + said(stderr));
        }
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "the server exited with " + process.exitValue() + said(stderr));
        }
        sleepMillis(2);
      }
      long ready = System.nanoTime() - start;
      long cpu =
          process.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
      return new Sample(ready, announced[0] - start, cpu);
    } finally {
      stop(process);
      try {
        Files.deleteIfExists(stderr);
      } catch (IOException e) {
        // A temporary file left behind is no reason to lose the measurement.
      }
    }
  }

  /** The start of what a failed server wrote on standard error, for the exception's message. */
  private static String said(Path stderr) {
    try {
      String text = Files.readString(stderr);
      return text.isBlank() ? "" : "; it said: " + text.substring(0, Math.min(text.length(), 2000));
    } catch (IOException e) {
      return "";
    }
  }

  private static void readPort(
      InputStream stdout, CompletableFuture<Integer> port, long[] announced) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        Matcher m = LISTENING.matcher(line);
        if (!port.isDone() && m.find()) {
          announced[0] = System.nanoTime();
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      port.completeExceptionally(e);
    }
    port.completeExceptionally(
        new IllegalStateException("the server closed its output without a port"));
  }

  /**
   * One {@code GET /healthz} over a plain socket: no HTTP client warming up inside the measurement.
   */
  private static boolean healthy(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /healthz HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      String status = in.readLine();
      return status != null && status.startsWith("HTTP/1.1 200");
    } catch (IOException e) {
      return false;
    }
  }

  /** SIGTERM, so that the shutdown hook closes H2 cleanly and the next start finds a sound file. */
  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private interface DirWork {
    void in(Path dir) throws IOException;
  }

  private static void withDataDir(DirWork work) {
    Path dir;
    try {
      dir = Files.createTempDirectory("devicelogin-startup-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      work.in(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary directory left behind is no reason to lose the measurement.
    }
  }

  static Path defaultJar() {
    String configured = System.getProperty("devicelogin.server.jar");
    if (configured != null) {
      return Path.of(configured);
    }
    Path here = Path.of("server", "target", "devicelogin-server.jar");
    if (Files.isRegularFile(here)) {
      return here.toAbsolutePath();
    }
    return Path.of("..", "server", "target", "devicelogin-server.jar").toAbsolutePath().normalize();
  }

  /**
   * {@code ServerStartup [REPETITIONS] [--jar JAR]... [--jvm OPTION]...}: prints the Markdown
   * table. Several {@code --jar}s are started in turn within each repetition, for a before/after
   * comparison under the same load.
   */
  public static void main(String[] args) {
    int repetitions = 20;
    List<Path> jars = new ArrayList<>();
    List<String> jvm = new ArrayList<>();
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    while (!rest.isEmpty()) {
      String a = rest.remove(0);
      switch (a) {
        case "--jar":
          jars.add(Path.of(rest.remove(0)).toAbsolutePath());
          break;
        case "--jvm":
          jvm.add(rest.remove(0));
          break;
        default:
          repetitions = Integer.parseInt(a);
      }
    }
    if (jars.isEmpty()) {
      jars.add(defaultJar());
    }
    Section section = run(repetitions, jars, jvm);
    System.out.println("## " + section.title());
    System.out.println();
    System.out.println(section.markdown());
  }
}
