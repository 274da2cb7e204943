package io.jasynq.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * How a serving command ({@code metrics}, {@code dashboard}) runs until SIGINT or SIGTERM: {@link
 * #arm} adds a JVM shutdown hook that asks the command to stop and then waits (at most {@link
 * #STOP_WAIT_SECONDS}) until the command has closed what it serves, so the JVM does not exit
 * halfway through; {@link #await} blocks the command until then; {@link #close}, in the command's
 * {@code finally}, says everything is closed and removes the hook. Tests call {@link #stop}. One
 * per command instance; thread-safe.
 */
final class UntilStopped implements AutoCloseable {
  /** How long the shutdown hook waits for the command to close what it serves. */
  static final long STOP_WAIT_SECONDS = 15;

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private @Nullable Thread hook; // guarded by this

  /** Adds the shutdown hook, a thread called {@code hookName}. */
  synchronized void arm(String hookName) {
    hook = new Thread(this::stopAndWait, hookName);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Ends the wait: what SIGINT and SIGTERM do, through the hook. */
  void stop() {
    stop.countDown();
  }

  /** Blocks until {@link #stop} (or an interrupt, which is kept). */
  void await() {
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Says the command has closed everything, and removes the hook unless it is running. */
  @Override
  public synchronized void close() {
    stopped.countDown();
    if (hook == null) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook is running (and waits for us), nothing to remove.
    }
    hook = null;
  }

  private void stopAndWait() {
    stop();
    try {
      stopped.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
