package io.jasynq.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Awaits a condition with a deadline, for tests: no sleep-then-assert. Polls every 10 ms.
 *
 * <pre>{@code
 * Eventually.until("the task was handled", () -> handled.contains(id));
 * }</pre>
 *
 * @since 0.1
 */
public final class Eventually {
  /** How long {@link #until(String, BooleanSupplier)} waits: 10 s. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private Eventually() {}

  /**
   * Returns once {@code condition} holds.
   *
   * @param what says what was awaited, in the failure message
   * @throws AssertionError naming {@code what} if it does not hold within {@code timeout}, or if
   *     the thread is interrupted (the interrupt is kept)
   */
  public static void until(Duration timeout, String what, BooleanSupplier condition) {
    Objects.requireNonNull(timeout, "timeout == null");
    Objects.requireNonNull(condition, "condition == null");
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what);
      }
    }
  }

  /** {@link #until(Duration, String, BooleanSupplier)} with {@link #DEFAULT_TIMEOUT}. */
  public static void until(String what, BooleanSupplier condition) {
    until(DEFAULT_TIMEOUT, what, condition);
  }
}
