package io.devicelogin.bench.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The resident memory of a process, from Linux's {@code /proc/PID/status}. */
public final class ProcessMemory {
  private ProcessMemory() {}

  /** {@code VmRSS} in bytes, including every thread; -1 where {@code /proc} cannot tell. */
  public static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
