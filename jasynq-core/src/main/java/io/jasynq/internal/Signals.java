package io.jasynq.internal;

import java.util.concurrent.CountDownLatch;

/** Blocking until the JVM is asked to exit, for the {@code run()} methods. */
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
}
