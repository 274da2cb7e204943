package io.jasynq.internal.connection;

import io.netty.util.concurrent.FastThreadLocalThread;

/**
 * Tells whether code runs on one of Netty's threads (Lettuce's event loops, ours or a caller's).
 */
public final class EventLoops {
  private EventLoops() {}

  /**
   * Whether the current thread is a Netty thread: an event loop or computation thread of some
   * Lettuce {@code ClientResources}. Completion callbacks of Redis commands run there. Closing a
   * connection there would wait for that very thread, so closes started there finish on a thread of
   * their own.
   */
  public static boolean onNettyThread() {
    return Thread.currentThread() instanceof FastThreadLocalThread;
  }
}
