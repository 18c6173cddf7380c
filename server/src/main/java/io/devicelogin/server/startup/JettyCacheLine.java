package io.devicelogin.server.startup;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Answers, before Jetty asks, how many object references fill a cache line.
 *
 * <p>Jetty pads its queues with that number and, unless {@value #REFERENCES_PER_CACHE_LINE} says,
 * asks whether the JVM compresses object pointers through the platform MBean server, which loads
 * and registers every platform MBean, JFR's among them, on the way. The HotSpot diagnostic bean
 * alone answers the same question for a fraction of that.
 *
 * <p>Saves about 0.1 s of every start on an idle machine, more on a busy one ({@code bench/run
 * --only startup}, the "Server start-up" table of {@code bench/RESULTS.md}).
 */
public final class JettyCacheLine {
  /** Jetty's documented property for how many object references fill a cache line. */
  public static final String REFERENCES_PER_CACHE_LINE =
      "org.eclipse.jetty.util.referencesPerCacheLine";

  private JettyCacheLine() {}

  /**
   * Sets {@value #REFERENCES_PER_CACHE_LINE} to the value Jetty would compute: a cache line of
   * {@code org.eclipse.jetty.util.cacheLineBytes} (64) over 4 bytes per compressed reference, or 8
   * per plain one. A property already set, or a JVM without the HotSpot bean, is left to Jetty.
   * Must run before Jetty's classes load.
   */
  public static void answer() {
    if (System.getProperty(REFERENCES_PER_CACHE_LINE) != null) {
      return;
    }
    int cacheLine;
    try {
      cacheLine =
          Integer.parseInt(System.getProperty("org.eclipse.jetty.util.cacheLineBytes", "64"));
    } catch (NumberFormatException e) {
      cacheLine = 64;
    }
    try {
      HotSpotDiagnosticMXBean hotspot =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      boolean compressed =
          Boolean.parseBoolean(hotspot.getVMOption("UseCompressedOops").getValue());
      System.setProperty(
          REFERENCES_PER_CACHE_LINE,
          Integer.toString(compressed ? cacheLine >> 2 : cacheLine >> 3));
    } catch (RuntimeException | LinkageError e) {
      // Jetty asks for itself.
    }
  }
}
