package io.devicelogin.cli.startup;

import java.util.ArrayList;
import java.util.List;

/**
 * Lets the JDK's HTTP clients stop their selector threads before the JVM exits.
 *
 * <p>Saves: the exit waits up to 300 ms for every thread that is inside native code
 * (VM_Exit::wait_for_threads_in_native_to_block), and an HttpClient's selector thread sits in
 * epoll_wait until its client is garbage collected: that was a third of the wall time of {@code
 * devicelogin token}, the {@code devicelogin token} row of bench's {@code CliStartup}
 * (bench/RESULTS.md, "Command start-up"). Java 17's HttpClient has no close(); an interrupt is what
 * ends its selector loop (the thread checks for it, and the select wakes up). The threads are found
 * by the name the JDK gives them; should that change, the exit is only slower.
 */
public final class HttpClientSelectors {
  private HttpClientSelectors() {}

  /** Interrupts every selector thread of the JDK's HTTP clients in this JVM. */
  public static void stop() {
    find().forEach(Thread::interrupt);
  }

  /** The selector threads of the JDK's HTTP clients in this JVM. */
  static List<Thread> find() {
    Thread[] threads = new Thread[Thread.activeCount() + 16];
    int n = Thread.enumerate(threads);
    List<Thread> selectors = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = threads[i].getName();
      if (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager")) {
        selectors.add(threads[i]);
      }
    }
    return selectors;
  }
}
