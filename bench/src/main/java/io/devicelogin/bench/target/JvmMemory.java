package io.devicelogin.bench.target;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The heap of another JVM on this machine, through the JDK's {@code jcmd}. */
public final class JvmMemory {
  private static final Pattern USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

  private JvmMemory() {}

  /**
   * Heap in use right after a full collection ({@code GC.run}), in bytes; -1 if jcmd cannot tell.
   * G1 reports one heap line; the serial and parallel collectors one line per generation, summed.
   */
  public static long heapUsedAfterGc(long pid) {
    jcmd(pid, "GC.run");
    return heapUsed(jcmd(pid, "GC.heap_info"));
  }

  static long heapUsed(String heapInfo) {
    Matcher m = USED.matcher(heapInfo);
    long used = 0;
    boolean found = false;
    while (m.find()) {
      used += Long.parseLong(m.group(2)) * 1024;
      found = true;
    }
    return found ? used : -1;
  }

  private static String jcmd(long pid, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p =
          new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(60, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
