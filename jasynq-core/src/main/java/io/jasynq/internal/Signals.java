package io.jasynq.internal;

import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * JVM shutdown hooks, the only ones jasynq installs: while a {@code run()} method blocks, and while
 * a {@code Scheduler} is started (so that SIGTERM removes its entries from Redis).
 *
 * <p>A hook is installed <em>before</em> the start it guards and holds its close until that start
 * has returned. A signal that lands mid-start therefore waits for the start and then closes what it
 * started; installed after the start, as it once was, the hook could not be added at all once the
 * JVM had begun to exit ({@code IllegalStateException: Shutdown in progress}), and a server started
 * a moment before SIGTERM kept its running task active instead of requeuing it.
 */
public final class Signals {
  private Signals() {}

  /**
   * Installs a JVM shutdown hook that runs {@code close} (SIGINT, SIGTERM), runs {@code start},
   * then waits until {@code closed} opens and removes the hook. An interrupt closes too.
   *
   * <p>If the JVM is already exiting, nothing starts: {@code close} runs on this thread and the
   * method returns. If {@code start} throws, the hook is removed and the exception propagates.
   */
  public static void runUntilExit(Runnable start, Runnable close, CountDownLatch closed) {
    ExitHook hook = install(close, "jasynq-signal");
    if (hook == null) {
      close.run();
      return;
    }
    try {
      hook.guard(start);
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close.run();
    } finally {
      hook.cancel();
    }
  }

  /**
   * Installs a shutdown hook that runs {@code close} when the JVM exits (SIGINT, SIGTERM, the last
   * thread ending), once the start passed to {@link ExitHook#guard} has returned.
   *
   * @return the hook, or null if the JVM is already exiting (no hook can be added then)
   */
  public static @Nullable ExitHook install(Runnable close, String threadName) {
    ExitHook hook = new ExitHook(close, threadName);
    try {
      Runtime.getRuntime().addShutdownHook(hook.thread);
    } catch (IllegalStateException e) {
      return null; // "Shutdown in progress"
    }
    return hook;
  }

  /** An installed hook; its close waits until {@link #guard} has run the start it protects. */
  public static final class ExitHook {
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);

    private ExitHook(Runnable close, String threadName) {
      this.thread =
          new Thread(
              () -> {
                awaitUninterruptibly(started);
                close.run();
              },
              threadName);
    }

    /**
     * Runs {@code start}; a signal meanwhile closes once it returns (or throws). Without a call to
     * this method the hook closes at once.
     */
    public void guard(Runnable start) {
      try {
        start.run();
      } finally {
        started.countDown();
      }
    }

    /** Removes the hook; a no-op while the JVM exits or on the hook's own thread. */
    public void cancel() {
      started.countDown();
      if (thread == Thread.currentThread()) {
        return;
      }
      try {
        Runtime.getRuntime().removeShutdownHook(thread);
      } catch (IllegalStateException e) {
        // The JVM is exiting: the hook is running or has run.
      }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
      boolean interrupted = false;
      while (true) {
        try {
          latch.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
