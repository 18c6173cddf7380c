package io.devicelogin.cli.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@link CommandRunner} with real processes. */
final class ProcessCommandRunner implements CommandRunner {

  @Override
  public Result run(
      List<String> command, byte[] stdin, Map<String, String> environment, Duration timeout)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process = builder.start();
    // Each stream on its own thread: a helper that blocks writing its output, or never reads its
    // input, must not block us past the time limit.
    Drain out = new Drain(process.getInputStream());
    Drain err = new Drain(process.getErrorStream());
    Thread feeder =
        daemon(
            () -> {
              try (OutputStream in = process.getOutputStream()) {
                in.write(stdin);
              } catch (IOException ignored) {
                // The helper exited without reading its input; its exit code tells the rest.
              }
            });
    Thread outThread = daemon(out);
    Thread errThread = daemon(err);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new TimedOut(command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
      }
      // The process has exited; its pipes close, so these joins end promptly.
      feeder.join(timeout.toMillis());
      outThread.join(timeout.toMillis());
      errThread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + command.get(0), e);
    }
    return new Result(
        process.exitValue(), out.bytes(), new String(err.bytes(), StandardCharsets.UTF_8));
  }

  private static Thread daemon(Runnable body) {
    Thread t = new Thread(body, "devicelogin-store-io");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static final class Drain implements Runnable {
    private final InputStream in;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    Drain(InputStream in) {
      this.in = in;
    }

    @Override
    public void run() {
      byte[] chunk = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(chunk)) >= 0) {
          synchronized (buffer) {
            buffer.write(chunk, 0, n);
          }
        }
      } catch (IOException ignored) {
        // The process went away; what was read is what there is.
      } finally {
        Arrays.fill(chunk, (byte) 0);
      }
    }

    byte[] bytes() {
      synchronized (buffer) {
        return buffer.toByteArray();
      }
    }
  }
}
