package io.devicelogin.server.http;

import io.devicelogin.client.text.DurationText;
import io.javalin.http.HttpResponseException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A request's body is read whole within {@link ConnectionLimits#requestDeadline()} of the request's
 * first byte, and arrives at {@link ConnectionLimits#minBodyBytesPerSecond()} at least: Jetty's
 * idle timeout is per read, so a sender of a byte every few seconds held a thread for as long as it
 * liked.
 *
 * <p>A body that misses either ends, for its reader, in a refusal it answers {@code 408}: for the
 * OAuth endpoints a {@link TimeoutException}, as Jetty's own idle timeout gives ({@code
 * protocol.FormRequest}); for the pages Javalin's {@link HttpResponseException}, which the pages
 * answer with their error page. The connection is closed after the answer since its body was never
 * read whole. A reader waiting for bytes that do not come is woken at the deadline. The rate is
 * checked each time the reader has to wait, from the second after the headers: a body that pauses
 * once is not cut, one that trickles is.
 */
final class RequestDeadline extends Handler.Wrapper {
  /** Before this much time after the headers, no rate is measured: a body may start late. */
  private static final long RATE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final long deadlineNanos;
  private final long minBytesPerSecond;
  private final Predicate<String> oauthPath;

  /**
   * @param oauthPath whether a path is an OAuth endpoint's, which reads its body through Jetty's
   *     core API rather than Javalin's
   */
  RequestDeadline(ConnectionLimits limits, Predicate<String> oauthPath, Handler handler) {
    super(handler);
    this.deadlineNanos = limits.requestDeadline().toNanos();
    this.minBytesPerSecond = limits.minBodyBytesPerSecond();
    this.oauthPath = oauthPath;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    return super.handle(new TimedBody(request), response, callback);
  }

  /** The request with its body read under the deadline and the rate. */
  private final class TimedBody extends Request.Wrapper {
    private volatile Content.Chunk failure;
    private volatile boolean whole;
    private long bytesRead;

    TimedBody(Request request) {
      super(request);
    }

    @Override
    public Content.Chunk read() {
      Content.Chunk stopped = failure;
      if (stopped != null) {
        return stopped;
      }
      Content.Chunk chunk = super.read();
      if (chunk == null) {
        return whole ? null : check();
      }
      bytesRead += chunk.remaining();
      if (chunk.isLast()) {
        whole = true;
      }
      return chunk;
    }

    @Override
    public void demand(Runnable onContent) {
      if (whole) {
        super.demand(onContent);
        return;
      }
      if (check() != null) {
        onContent.run();
        return;
      }
      // Woken by whichever comes first: the bytes or the deadline.
      AtomicBoolean woken = new AtomicBoolean();
      long left = deadlineNanos - NanoTime.since(getBeginNanoTime());
      Scheduler.Task timer =
          getComponents()
              .getScheduler()
              .schedule(
                  () -> {
                    if (woken.compareAndSet(false, true)) {
                      stop(
                          "the request was not sent within "
                              + DurationText.format(Duration.ofNanos(deadlineNanos)));
                      onContent.run();
                    }
                  },
                  Math.max(0, left),
                  TimeUnit.NANOSECONDS);
      super.demand(
          () -> {
            if (woken.compareAndSet(false, true)) {
              timer.cancel();
              onContent.run();
            }
          });
    }

    /** The failure this body has earned by now, or null. */
    private Content.Chunk check() {
      if (failure != null) {
        return failure;
      }
      if (NanoTime.since(getBeginNanoTime()) >= deadlineNanos) {
        return stop(
            "the request was not sent within "
                + DurationText.format(Duration.ofNanos(deadlineNanos)));
      }
      long sinceHeaders = NanoTime.since(getHeadersNanoTime());
      if (minBytesPerSecond > 0
          && sinceHeaders >= RATE_GRACE_NANOS
          && bytesRead * 1_000_000_000L / sinceHeaders < minBytesPerSecond) {
        return stop("the body arrived slower than " + minBytesPerSecond + " bytes a second");
      }
      return null;
    }

    private Content.Chunk stop(String why) {
      Throwable refusal =
          oauthPath.test(getHttpURI().getPath())
              ? new TimeoutException(why)
              : new HttpResponseException(408, why);
      Content.Chunk chunk = Content.Chunk.from(refusal, true);
      failure = chunk;
      return chunk;
    }
  }
}
