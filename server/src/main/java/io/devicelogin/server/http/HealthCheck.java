package io.devicelogin.server.http;

import io.devicelogin.server.store.Database;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /healthz}: {@code 200} while the database answers {@code SELECT 1}, {@code 503} when it
 * does not. The check is bounded in time: when the database stops answering, the pool waits for a
 * connection far longer than a load balancer waits for a probe. At most one check runs at a time;
 * probes that arrive meanwhile share its answer.
 */
public final class HealthCheck implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HealthCheck.class);

  /**
   * The two answers, written out once rather than through Jackson: the first probe, the one that
   * says the server is ready and ends the time {@code bench/run --only startup} measures, should
   * not wait for a JSON mapper to start for two constant objects.
   */
  private static final String HEALTHY = "{\"status\":\"ok\"}";

  private static final String UNHEALTHY =
      "{\"status\":\"unavailable\",\"database\":\"not answering\"}";

  private final Database database;
  private final Duration timeout;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "devicelogin-healthz");
            t.setDaemon(true);
            return t;
          });
  private CompletableFuture<Boolean> running;
  private boolean lastAnswer = true;

  public HealthCheck(Database database, Duration timeout) {
    this.database = database;
    this.timeout = timeout;
  }

  /** Answers a probe. */
  void answer(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    if (databaseAnswers()) {
      ctx.contentType(ContentType.APPLICATION_JSON).result(HEALTHY);
    } else {
      ctx.status(503).contentType(ContentType.APPLICATION_JSON).result(UNHEALTHY);
    }
  }

  private boolean databaseAnswers() {
    CompletableFuture<Boolean> check;
    synchronized (this) {
      if (running == null || running.isDone()) {
        running = CompletableFuture.supplyAsync(this::selectOne, executor);
      }
      check = running;
    }
    boolean answer;
    try {
      answer = check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      answer = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer = false;
    }
    synchronized (this) {
      if (answer != lastAnswer) {
        if (answer) {
          log.info("the database answers again");
        } else {
          log.warn("the database does not answer SELECT 1 within {} ms", timeout.toMillis());
        }
        lastAnswer = answer;
      }
    }
    return answer;
  }

  private boolean selectOne() {
    try (Connection c = database.connection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
      try (ResultSet r = s.executeQuery("SELECT 1")) {
        return r.next();
      }
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
