package io.devicelogin.cli.terminal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler that runs nothing by itself: a test moves its clock and calls {@link #tick()}, which
 * runs every periodic task that is not cancelled. Only fixed-rate tasks are supported; that is all
 * the login screen uses.
 */
final class FakeScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  final List<Task> tasks = new ArrayList<>();
  private boolean shutdown;

  /** Runs each live periodic task once. */
  void tick() {
    for (Task task : List.copyOf(tasks)) {
      if (!task.cancelled) {
        task.command.run();
      }
    }
  }

  /** Periodic tasks that have not been cancelled. */
  long live() {
    return tasks.stream().filter(t -> !t.cancelled).count();
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    if (unit.toMillis(period) != 1000) {
      throw new AssertionError(
          "the countdown ticks once a second, not every " + period + " " + unit);
    }
    Task task = new Task(command);
    tasks.add(task);
    return task;
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return shutdown;
  }

  @Override
  public void execute(Runnable command) {
    command.run();
  }

  static final class Task implements ScheduledFuture<Object> {
    final Runnable command;
    boolean cancelled;

    Task(Runnable command) {
      this.command = command;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return 0;
    }

    @Override
    public int compareTo(Delayed o) {
      return 0;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelled = true;
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return cancelled;
    }

    @Override
    public Object get() {
      return null;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      return null;
    }
  }
}
