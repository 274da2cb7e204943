package io.jasynq.internal;

import java.util.concurrent.CountDownLatch;

/**
 * JVM shutdown hooks, the only ones jasynq installs: while a {@code run()} method blocks, and while
 * a {@code Scheduler} is started (so that SIGTERM removes its entries from Redis).
 */
public final class Signals {
  private Signals() {}

  /**
   * Waits until {@code closed} opens, with a JVM shutdown hook that runs {@code close} (SIGINT,
   * SIGTERM) installed only meanwhile. An interrupt closes too.
   */
  public static void awaitExitOrClose(Runnable close, CountDownLatch closed) {
    Thread hook = new Thread(close, "jasynq-signal");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close.run();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is exiting: the hook is running or has run.
      }
    }
  }

  /** Runs {@code close} when the JVM exits (SIGINT, SIGTERM, the last thread ending), on a hook. */
  public static Thread onExit(Runnable close, String threadName) {
    Thread hook = new Thread(close, threadName);
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  /** Removes a hook of {@link #onExit}; a no-op while the JVM exits or if {@code hook} is null. */
  public static void cancel(Thread hook) {
    if (hook == null || hook == Thread.currentThread()) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is exiting: the hook is running or has run.
    }
  }
}
