package io.devicelogin.server.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The head of a request (request line and headers) is in within the request deadline: Jetty's idle
 * timeout is per read, so a head sent a byte at a time held its connection for as long as the
 * sender liked. Each connection is looked at once per deadline; one seen in the middle of the same
 * head twice in a row has taken longer than the deadline, and is closed (so within twice the
 * deadline). Holding no thread, such a sender costs a connection, which {@link
 * ConnectionsPerAddress} caps; this frees it.
 *
 * <p>It reads the state of Jetty's HTTP/1.1 parser, which Jetty keeps in an internal class: the
 * only place that knows whether a head is under way.
 */
final class HeadDeadline implements Connection.Listener {
  private final Duration deadline;
  private final Map<Connection, Scheduler.Task> watched = new ConcurrentHashMap<>();

  HeadDeadline(Duration deadline) {
    this.deadline = deadline;
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection http) {
      watched.put(http, next(http, -1, false));
    }
  }

  @Override
  public void onClosed(Connection connection) {
    Scheduler.Task task = watched.remove(connection);
    if (task != null) {
      task.cancel();
    }
  }

  /**
   * @param requests the connection's request count at the last look
   * @param inHead whether a head was under way then
   */
  private Scheduler.Task next(HttpConnection http, long requests, boolean inHead) {
    return http.getConnector()
        .getScheduler()
        .schedule(() -> look(http, requests, inHead), deadline);
  }

  private void look(HttpConnection http, long requestsBefore, boolean inHeadBefore) {
    if (!watched.containsKey(http)) {
      return;
    }
    HttpParser parser = http.getParser();
    boolean inHead = parser.inHeaderState() && !parser.isStart();
    // The count grows as each request's line is read: the same count is the same head.
    long requests = http.getMessagesIn();
    if (inHead && inHeadBefore && requests == requestsBefore) {
      http.getEndPoint().close();
      return;
    }
    Scheduler.Task task = next(http, requests, inHead);
    if (watched.replace(http, task) == null) {
      task.cancel();
    }
  }
}
