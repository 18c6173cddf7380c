package io.devicelogin.bench.load;

import io.devicelogin.bench.load.HttpLoad.Session;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/** The sessions most runs are made of, from a source of requests and what to do with answers. */
public final class Sessions {
  private Sessions() {}

  /** What a session does with an answer. */
  @FunctionalInterface
  public interface Answered {
    void accept(int status, byte[] body);
  }

  /**
   * A session that sends what {@code next} gives (null: nothing more) and hands every answer to
   * {@code answered}.
   */
  public static Session of(Supplier<byte[]> next, Answered answered) {
    return new Session() {
      @Override
      public byte[] next() {
        return next.get();
      }

      @Override
      public void answered(int status, byte[] body) {
        answered.accept(status, body);
      }
    };
  }

  /** A session that sends what {@code next} gives and only counts the answers. */
  public static Session sending(Supplier<byte[]> next) {
    return of(next, (status, body) -> {});
  }

  /**
   * Sessions that take {@code requests} in turn from one cursor shared by all connections, so each
   * request comes round again only after every other one has been sent.
   */
  public static IntFunction<Session> rotation(byte[][] requests) {
    AtomicInteger cursor = new AtomicInteger();
    return c -> sending(() -> requests[Math.floorMod(cursor.getAndIncrement(), requests.length)]);
  }
}
